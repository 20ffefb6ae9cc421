"""Control characters in the text of a file: which they are and how to name them to an analyst.

Tab, CR and LF are the text's own; the other C0 codes, DEL and the C1 codes are not text
(terminal escapes, Excel's stray vertical tab or end-of-file mark). The reader refuses a
file full of them; a value holding one is a row error (both validation paths use this pattern).
"""

from __future__ import annotations

import re

# A character class valid for Python's `re` and for DuckDB's RE2 alike.
CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
CONTROL = re.compile(CONTROL_PATTERN)

# What a terminal must never receive raw: the C0 codes but newline and tab (CR included: it
# rewrites the line), DEL, the C1 codes, and the bidirectional overrides that reorder what it
# shows. Written as \uXXXX, which is also a valid escape inside JSON strings.
_TERMINAL_UNSAFE = [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TERMINAL_ESCAPES = {code: f"\\u{code:04x}" for code in _TERMINAL_UNSAFE if chr(code) not in "\n\t"}


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on escaped (ESC shows as \\u001b)."""
    return text.translate(_TERMINAL_ESCAPES)

_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)  # fmt: skip


def control_name(char: str) -> str:
    """The character as an analyst can look it up: 'ESC (U+001B)', 'U+0085' for a C1 code."""
    code = ord(char)
    short = _C0_NAMES[code] if code < 0x20 else "DEL" if code == 0x7F else ""
    return f"{short} (U+{code:04X})" if short else f"U+{code:04X}"


def control_char_text(value: str) -> tuple[str, str]:
    """(reason, fix) for a value holding a control character (named when the value shows it)."""
    found = CONTROL.search(value)
    which = f"the control character {control_name(found.group())}" if found else "a control character"
    return (
        f"This value holds {which}, an invisible code that is not text.",
        "Remove it: re-type the value (or use Find and Replace) and export the file again.",
    )
