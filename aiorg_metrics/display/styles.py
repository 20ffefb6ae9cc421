"""How a status looks, and the theme's colours: the one table the app's CSS, its badges and the
figures take their colours from. Pure data, no Streamlit.

- `THEME_COLOURS` are the colours `.streamlit/config.toml` gives Streamlit (`[theme]`, key
  `<name>Color`); a test holds the two equal, so change a colour in both.
- `STATUS_STYLES` gives each status its word, symbol, Material icon, theme colour name (for
  Streamlit badges such as `:green-badge[...]`) and `hex`, the solid colour of the card pills
  (white text on it) and of the chart marks.

For the dashboard's stylesheet: take colours from here (`STATUS_STYLES[s].hex` for a status,
`THEME_COLOURS["primary"]` for headings), never a hex copy; `status_css()` gives the text
colours of the card's "better / worse / same" verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.kpi.status import Status

THEME_COLOURS: dict[str, str] = {
    "primary": "#1f4e79",
    "background": "#ffffff",
    "secondaryBackground": "#f3f5f8",
    "text": "#1b2430",
    "border": "#dde3ea",
    "green": "#2e7d32",
    "orange": "#e08a00",
    "red": "#c62828",
    "blue": "#1f4e79",
    "gray": "#6b7785",
}


@dataclass(frozen=True)
class StatusStyle:
    """How one status looks. A status always travels with a word and a symbol, never a colour alone."""

    word: str
    symbol: str  # a plain-text symbol for charts and tables
    icon: str  # a Material icon name for Streamlit badges
    colour: str  # the theme colour's name (Streamlit badges, markdown)
    rank: int  # how urgent: higher needs more attention
    fill: str | None = None  # a solid colour other than the theme's, when the theme's does not fit

    @property
    def hex(self) -> str:
        """The solid colour of pills (white text) and chart marks."""
        return self.fill or THEME_COLOURS[self.colour]


STATUS_STYLES: dict[Status, StatusStyle] = {
    Status.RED: StatusStyle("Off target", "✕", ":material/cancel:", "red", 4),
    # The theme's orange is too light under white text (2.7:1): pills and marks take a darker amber.
    Status.AMBER: StatusStyle("Watch", "!", ":material/warning:", "orange", 3, fill="#b45309"),
    Status.GREEN: StatusStyle("On target", "✓", ":material/check_circle:", "green", 2),
    # Softer than the theme's blue (the primary colour of links and buttons): "no target" is no accent.
    Status.INFO: StatusStyle("No target", "i", ":material/info:", "blue", 1, fill="#4a6f96"),
    Status.NO_DATA: StatusStyle("No data", "–", ":material/remove:", "gray", 0),
}

# The verdict of a change between periods (wording.VERDICT_WORDS names the colour): its CSS class.
VERDICT_CLASSES: dict[str, str] = {"green": "kpi-better", "red": "kpi-worse", "gray": "kpi-same"}


def status_css() -> str:
    """CSS rules colouring the verdict classes of a card's comparisons ("▲ better" in green...)."""
    return " ".join(f".{css} {{color:{THEME_COLOURS[colour]}; font-weight:650;}}"
                    for colour, css in VERDICT_CLASSES.items())
