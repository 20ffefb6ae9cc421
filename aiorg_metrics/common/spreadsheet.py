"""Exports opened in a spreadsheet: text that would run as a formula is neutralized.

Use-case titles (and any free text from the exports) may start with =, +, - or @; a
spreadsheet would run such a cell as a formula, so every CSV we write prefixes it with a
single quote.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """`value`, with a quote in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
