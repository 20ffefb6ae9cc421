"""How a count reads in English: "1 team", "2 teams", "1 business unit", "0 pairs" — never "team(s)"."""

from __future__ import annotations


def count_of(count: float, noun: str, plural: str | None = None) -> str:
    """`count` and its noun, singular for exactly one: count_of(2, "team") is "2 teams",
    count_of(1, "person", "people") is "1 person". Whole numbers read with thousands separators."""
    number = f"{count:,.0f}" if float(count).is_integer() else f"{count:,}"
    return f"{number} {noun if count == 1 else plural or noun + 's'}"
