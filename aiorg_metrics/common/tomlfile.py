"""Reading a small TOML file the user may have edited by hand, or that may be hostile.

Every failure (missing permissions, not UTF-8, bad TOML, a file too large, values
nested so deep that the parser recurses out of its stack) is one `TomlFileError`
whose message names the file and says what is wrong, never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

MAX_TOML_BYTES = 1 << 20  # 1 MiB: a hand-written configuration file is a few KB
MAX_DOTS_PER_LINE = 200  # tomllib reads a key of N dotted parts in time N²: refuse such a line before parsing


class TomlFileError(ValueError):
    """A TOML file that cannot be read; the message names the file and the reason."""


def read_toml(path: Path, max_bytes: int = MAX_TOML_BYTES) -> dict[str, Any]:
    """The parsed file; TomlFileError when it cannot be read. The size is checked before reading."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TomlFileError(
                f"{path}: the file is {size:,} bytes, more than the {max_bytes:,} allowed for a "
                "configuration file. Check that it is the right file."
            )
        text = path.read_text(encoding="utf-8-sig")  # Windows Notepad may start the file with a byte order mark
    except UnicodeDecodeError as exc:
        raise TomlFileError(f"{path}: not UTF-8 text (byte {exc.start}). Save it as UTF-8.") from None
    except OSError as exc:
        raise TomlFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    _refuse_deep_keys(path, text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(f"{path}: not valid TOML ({exc}).") from None
    except RecursionError:
        raise TomlFileError(f"{path}: values are nested too deeply to be read; this is not a valid file.") from None


def _refuse_deep_keys(path: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") > MAX_DOTS_PER_LINE:
            raise TomlFileError(
                f"{path}: line {number} nests a key more than {MAX_DOTS_PER_LINE} levels deep; "
                "no configuration of this product nests more than a few levels."
            )
