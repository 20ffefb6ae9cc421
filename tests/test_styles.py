"""The one table of status styles and theme colours, held equal to the Streamlit theme."""

from __future__ import annotations

import tomllib
from pathlib import Path

from aiorg_metrics.display import figures
from aiorg_metrics.display.styles import STATUS_STYLES, THEME_COLOURS, status_css
from aiorg_metrics.kpi.status import Status

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def _theme_colours_of_the_config() -> dict[str, str]:
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    return {key.removesuffix("Color"): value for key, value in theme.items() if key.endswith("Color")}


def test_the_theme_colours_of_config_toml_equal_the_table() -> None:
    assert _theme_colours_of_the_config() == THEME_COLOURS


def test_every_status_has_a_style_named_after_a_theme_colour() -> None:
    assert set(STATUS_STYLES) == set(Status)
    assert {s: STATUS_STYLES[s].colour for s in Status} == {
        Status.RED: "red", Status.AMBER: "orange", Status.GREEN: "green", Status.INFO: "blue", Status.NO_DATA: "gray",
    }


def test_pills_and_marks_take_the_theme_colour_unless_a_fill_is_given() -> None:
    assert {s: STATUS_STYLES[s].hex for s in Status} == {
        Status.RED: "#c62828", Status.AMBER: "#b45309", Status.GREEN: "#2e7d32", Status.INFO: "#4a6f96",
        Status.NO_DATA: "#6b7785",
    }


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_white_text_on_every_status_colour_is_readable() -> None:
    contrast = {s: 1.05 / (_luminance(STATUS_STYLES[s].hex) + 0.05) for s in Status}
    assert min(contrast.values()) >= 4.5, contrast  # WCAG AA for the pill's white text
    assert 1.05 / (_luminance(THEME_COLOURS["orange"]) + 0.05) < 4.5  # why amber has its own fill


def test_figures_take_their_colours_from_the_table() -> None:
    assert figures.TARGET_LINE == STATUS_STYLES[Status.GREEN].hex == THEME_COLOURS["green"]
    assert figures.FONT["color"] == THEME_COLOURS["text"]


def test_the_verdict_css_colours_better_green_worse_red() -> None:
    assert status_css() == (
        ".kpi-better {color:#2e7d32; font-weight:650;} .kpi-worse {color:#c62828; font-weight:650;} "
        ".kpi-same {color:#6b7785; font-weight:650;}"
    )
