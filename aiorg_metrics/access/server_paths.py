"""Server file paths in messages: only an admin may see them (the permissions table's "server paths").

The engine's messages name the files they are about (the store, the settings, the saved mappings,
Chromium) for the command line and the admin; `without_paths` words the same message for everyone
else: "at <path>" reads "on the server", a path before a colon or a comma goes with its punctuation,
any other path is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

# An absolute POSIX path: a slash not following a word, a dot, a colon or another slash (so no URL, no
# "and/or"), then name characters and slashes. Paths with spaces are also handled when given explicitly.
_ABSOLUTE = r"(?<![\w.:/~-])/(?:[\w.@+~-]+/)*[\w.@+~-]*[\w@+~-]"  # a final dot ends the sentence


def _pattern(paths: tuple[str, ...]) -> str:
    given = "|".join(re.escape(p) for p in sorted(paths, key=len, reverse=True))
    return f"(?:{given}|{_ABSOLUTE})" if given else _ABSOLUTE


def without_paths(text: str, *paths: str | Path | None) -> str:
    """`text` with every absolute path, and each of `paths` (as given and resolved), left out in plain words."""
    forms = tuple({form for p in paths if p for form in (str(p), str(Path(p).resolve()))})
    path = _pattern(forms)
    text = re.sub(rf"\s+(?:at|in)\s+{path}", " on the server", text)
    text = re.sub(rf"^{path}[:,]\s*", "", text, flags=re.MULTILINE)
    text = re.sub(rf"\s+{path}(?=[:,])[:,]?", "", text)
    text = re.sub(rf"\s+{path}", "", text)
    return re.sub(path, "a file on the server", text)
