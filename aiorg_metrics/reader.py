"""Reading real CSV exports: size, encoding, delimiter and header, before any value.

Excel in France saves CSVs in cp1252 with ';'; other tools write UTF-8 with or without
a BOM, commas or tabs. DuckDB's reader decodes only UTF-8 (its encodings extension is
not available offline) and would read cp1252 as latin-1, silently corrupting € ’ œ; so
we decode here and hand DuckDB a UTF-8 copy in the store's upload directory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = {",": "','", ";": "';'", "\t": "tab"}
HEAD_BYTES = 1 << 16  # enough for any header line


class UnreadableFileError(Exception):
    """The file cannot be read as a CSV at all; the message says why and what to do."""


@dataclass(frozen=True)
class RawFile:
    """A CSV export decoded to UTF-8 and ready for DuckDB."""

    name: str
    sha256: str
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    text_path: Path
    has_quotes: bool
    physical_lines: int

    @property
    def delimiter_label(self) -> str:
        return DELIMITERS[self.delimiter] + "-separated" if self.delimiter != "\t" else "tab-separated"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding label) of the file's bytes; refuses empty and binary files."""
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file is empty. Export the data again with its header line.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:65536]:
        raise UnreadableFileError(
            f"{name}: this is not a text CSV file (it contains binary data). "
            "Save the sheet as 'CSV (separateur: point-virgule)' or 'CSV UTF-8' and upload that file."
        )
    bom = data.startswith(codecs.BOM_UTF8)
    data = data[3:] if bom else data
    try:
        return data.decode("utf-8"), "UTF-8 with BOM" if bom else "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252 (Windows/Excel)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter used by the header line: the most frequent of ',', ';' and tab."""
    counts = {d: _count_outside_quotes(first_line, d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _header(text: str, delimiter: str) -> tuple[str, ...]:
    row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    return tuple(cell.strip().strip("\ufeff") for cell in row)


def read_header(data: bytes, name: str) -> tuple[str, ...]:
    """The header's column names, from the first line alone (UnreadableFileError for empty or binary files).

    Only the first line's bytes are decoded: a fixed-size head could end inside a UTF-8
    character and be mistaken for cp1252.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[: HEAD_BYTES - HEAD_BYTES % 2]
    else:
        head = data[:HEAD_BYTES].split(b"\n", 1)[0]
    text, _ = decode(head, name)
    first = text.split("\n", 1)[0].rstrip("\r")
    return _header(first, sniff_delimiter(first))


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(5, len(sample) // 100)


def _utf8_copy(data: bytes, text: str, encoding: str) -> bytes:
    """The file as UTF-8 with '\n' line ends (Windows line ends also inside quoted values)."""
    if encoding == "UTF-8" and b"\r" not in data:
        return data  # already right: skip re-encoding large files
    return text.replace("\r\n", "\n").encode("utf-8")


def prepare(data: bytes, name: str, upload_dir: Path, max_mb: float) -> RawFile:
    """Check and decode an export, and write its UTF-8 copy into `upload_dir`."""
    if len(data) > max_mb * 1024 * 1024:
        size = len(data) / 1024 / 1024
        raise UnreadableFileError(
            f"{name}: the file is {size:.1f} MB, above the {max_mb:g} MB limit. "
            "Split the export by period, or raise max_file_mb in the settings."
        )
    text, encoding = decode(data, name)
    if _looks_binary(text):
        raise UnreadableFileError(f"{name}: this is not a text CSV file. Export the data as CSV and try again.")
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    header = _header(first_line, delimiter)
    if not any(header):
        raise UnreadableFileError(f"{name}: the first line is empty; it must hold the column names.")
    utf8 = _utf8_copy(data, text, encoding)
    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(utf8)
    return RawFile(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        text_path=path,
        has_quotes=b'"' in utf8,
        physical_lines=utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1),
    )
