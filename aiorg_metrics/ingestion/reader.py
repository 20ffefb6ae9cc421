"""Reading real CSV exports: size, encoding, delimiter and header, before any value.

Excel in France saves CSVs in cp1252 with ';'; other tools write UTF-8 with or without
a BOM, commas or tabs, and classic Mac Excel ends lines with a lone CR. DuckDB's reader
decodes only UTF-8 (its encodings extension is not available offline) and would read
cp1252 as latin-1, silently corrupting € ’ œ; so we transcode here, in chunks, into a
UTF-8 copy with '\\n' line ends in the store's upload folder, and DuckDB reads that copy.

The shape is bounded before anything is parsed: the size from `stat()` (or the length of
an upload already in memory), then the header line alone, then the chunked copy.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

DELIMITERS = {",": "','", ";": "';'", "\t": "tab"}
MAX_COLUMNS = 1000
MAX_NAME_CHARS = 1000
MAX_FIELD_CHARS = 1 << 20  # 1 MiB of characters in one value
# A row may hold several long values (comments, descriptions): 16 MiB of UTF-8 is room for
# sixteen 1 MiB ASCII values, or four made of 4-byte characters, and keeps DuckDB's row
# buffer small. DuckDB counts bytes; the field limit (Python's csv) counts characters.
MAX_LINE_BYTES = 16 << 20
CHUNK_BYTES = 1 << 20
# The longest header line within the limits: 1,000 quoted names of 1,000 4-byte characters.
HEADER_BYTES = MAX_COLUMNS * (MAX_NAME_CHARS * 4 + 3)

csv.field_size_limit(MAX_FIELD_CHARS)  # process-wide: every csv reader of the app gets the same limit

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A valid UTF-8 sequence of two to four bytes (never produced by chance by cp1252 text, but for rare pairs).
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
SAVE_AS_CSV = "Save the sheet as 'CSV (separateur: point-virgule)' or 'CSV UTF-8' and upload that file."

OUT_OF_MEMORY = (
    "The file is too large for the memory available. Split it (by period, for example) and import the parts "
    "one after another."
)

Source = bytes | Path  # an upload already in memory, or a file on disk read in chunks


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
    long_lines: bool = False  # a line longer than MAX_FIELD_CHARS: its values must be measured

    @property
    def delimiter_label(self) -> str:
        return DELIMITERS[self.delimiter] + "-separated" if self.delimiter != "\t" else "tab-separated"


# --- size and header ------------------------------------------------------------------------------------


def source_size(source: Source) -> int:
    """The size in bytes, without reading a file."""
    return len(source) if isinstance(source, bytes | bytearray) else source.stat().st_size


@contextmanager
def open_source(source: Source) -> Iterator[BinaryIO]:
    """A binary stream over the upload or the file."""
    if isinstance(source, bytes | bytearray):
        yield io.BytesIO(source)
    else:
        with source.open("rb") as f:
            yield f


def check_size(source: Source, name: str, max_mb: float) -> None:
    """Refuse a file over `max_mb` (before reading it) or an empty one."""
    size = source_size(source)
    if size > max_mb * 1024 * 1024:
        raise UnreadableFileError(
            f"{name}: the file is {size / 1024 / 1024:.1f} MB, above the {max_mb:g} MB limit. "
            "Split the export by period, or raise max_file_mb in the settings."
        )
    if size == 0:
        raise UnreadableFileError(_empty(name))


def _empty(name: str) -> str:
    return f"{name}: the file is empty. Export the data again with its header line."


def sniff_delimiter(first_line: str) -> str:
    """The delimiter used by the header line: the most frequent of ',', ';' and tab outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", first_line).split('"', 1)[0]
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_header(source: Source, name: str) -> tuple[str, ...]:
    """The header's column names, from the first line alone; refuses empty, binary and too wide files."""
    return _read_first(source, name)[0]


def _read_first(source: Source, name: str) -> tuple[tuple[str, ...], str]:
    """(column names, delimiter) of the header line."""
    with open_source(source) as f:
        line, complete = _first_line(f, name)
    if not line.strip() and complete and not _has_more_text(source):
        raise UnreadableFileError(_empty(name))
    delimiter = sniff_delimiter(line)
    return _header(line, delimiter, name, complete), delimiter


def _has_more_text(source: Source) -> bool:
    with open_source(source) as f:
        return any(chunk.strip() for chunk in iter(lambda: f.read(CHUNK_BYTES), b""))


def _first_line(f: BinaryIO, name: str) -> tuple[str, bool]:
    """(the first line's text, whether its end was found within HEADER_BYTES)."""
    if f.read(2) in UTF16_BOMS:
        f.seek(0)
        return _first_utf16_line(f, name)
    f.seek(0)
    head = b""
    while len(head) < HEADER_BYTES:
        chunk = f.read(min(CHUNK_BYTES, HEADER_BYTES - len(head)))
        if not chunk:
            return _decode_line(head, name), True
        end = re.search(rb"[\r\n]", chunk)
        if end:
            return _decode_line(head + chunk[: end.start()], name), True
        head += chunk
    return _decode_line(head, name), not f.read(1)


def _first_utf16_line(f: BinaryIO, name: str) -> tuple[str, bool]:
    decoder = codecs.getincrementaldecoder("utf-16")("strict")
    text, read = "", 0
    while read < HEADER_BYTES:
        chunk = f.read(min(CHUNK_BYTES, HEADER_BYTES - read))
        read += len(chunk)
        try:
            text += decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise UnreadableFileError(_not_utf16_message(name, 1)) from None
        end = re.search(r"[\r\n]", text)
        if end or not chunk:
            line = text[: end.start()] if end else text
            _refuse_nul_text(line, name, 0)
            return line, True
    return text, False


def _decode_line(data: bytes, name: str) -> str:
    """The header line's text: UTF-8 (BOM dropped), else cp1252 when it holds no UTF-8 sequence at all."""
    if b"\x00" in data:
        raise UnreadableFileError(_nul_message(name, 1))
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if UTF8_MULTIBYTE.search(data):
            raise UnreadableFileError(_mixed_message(name, 1)) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _header(line: str, delimiter: str, name: str, complete: bool = True) -> tuple[str, ...]:
    """The column names of the header line, within MAX_COLUMNS and MAX_NAME_CHARS.

    `complete` is False when the line runs past HEADER_BYTES: only its start was read.
    """
    try:
        row = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        row = [line]  # one cell longer than the field limit: a name far too long
    columns = len(row) if complete else max(len(row), line.count(delimiter) + 1)
    if columns > MAX_COLUMNS:
        counted = f"{columns:,}" if complete else f"more than {columns:,}"
        raise UnreadableFileError(
            f"{name}: the header line has {counted} columns; at most {MAX_COLUMNS:,} are allowed. "
            "Export only the columns the dataset needs."
        )
    long = next(((i, c) for i, c in enumerate(row, start=1) if len(c) > MAX_NAME_CHARS), None)
    if long is None and not complete:
        long = (len(row), row[-1] if row else line)  # the line is longer than any header within the limits
    if long:
        raise UnreadableFileError(
            f"{name}: column {long[0]} of the header line has a name of {len(long[1]):,} characters"
            f"{'' if complete else ' or more'}; "
            f"at most {MAX_NAME_CHARS:,} are allowed. Check that the first line holds the column names."
        )
    return tuple(cell.strip().strip("\ufeff") for cell in row)


# --- encoding and the UTF-8 copy -----------------------------------------------------------------------


@dataclass
class _Copy:
    """What the transcoding saw."""

    encoding: str
    sha256: str
    lines: int
    has_quotes: bool
    long_lines: bool
    sample: str
    has_text: bool


class _NotDecodable(Exception):  # noqa: N818 - internal signal: try the next encoding
    def __init__(self, line: int, saw_multibyte: bool) -> None:
        super().__init__(line)
        self.line, self.saw_multibyte = line, saw_multibyte


def _nul_message(name: str, line: int) -> str:
    return f"{name}: this is not a text CSV file: line {line} holds a NUL byte (binary data). {SAVE_AS_CSV}"


def _mixed_message(name: str, line: int) -> str:
    return (
        f"{name}: line {line} holds bytes that are not UTF-8, while the file is UTF-8 elsewhere (mixed encodings, "
        "e.g. text pasted from another file). Re-type the accented characters of that line, or save the whole "
        "file again as 'CSV UTF-8'."
    )


def _not_utf16_message(name: str, line: int) -> str:
    return f"{name}: line {line} is not valid UTF-16, although the file starts as UTF-16. {SAVE_AS_CSV}"


def _refuse_nul_text(text: str, name: str, lines_before: int) -> None:
    at = text.find("\x00")
    if at >= 0:
        raise UnreadableFileError(_nul_message(name, lines_before + _normalize(text[:at]).count("\n") + 1))


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _write(f: BinaryIO, out: BinaryIO, codec: str, name: str, skip: int = 0) -> _Copy:
    """Decode the stream (after `skip` bytes of BOM) with `codec` into `out`: UTF-8, '\\n' line ends, by chunks."""
    f.seek(0)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    digest = hashlib.sha256(f.read(skip))
    copy = _Copy(codec, "", 0, False, False, "", False)
    run, held_cr, multibyte = 0, "", skip > 0  # a BOM says UTF-8 as surely as an accent does
    while True:
        chunk = f.read(CHUNK_BYTES)
        digest.update(chunk)
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            valid = _normalize(held_cr + (pending + chunk)[: exc.start].decode(codec))
            raise _NotDecodable(copy.lines + valid.count("\n") + 1, multibyte) from None
        multibyte = multibyte or not text.isascii()
        text, held_cr = held_cr + text, ""
        if text.endswith("\r") and chunk:  # a CRLF may straddle two chunks
            text, held_cr = text[:-1], "\r"
        text = _normalize(text)
        _refuse_nul_text(text, name, copy.lines)
        run = _track(copy, text, run)
        out.write(text.encode("utf-8"))
        if not chunk:
            break
    copy.sha256 = digest.hexdigest()
    return copy


def _track(copy: _Copy, text: str, run: int) -> int:
    """Update the copy's counts with a chunk of normalized text; returns the length of the unfinished line.

    A chunk holds at most CHUNK_BYTES characters, so a line longer than the field limit
    always spans a chunk boundary: checking the first and the last line of each chunk is enough.
    """
    copy.lines += text.count("\n")
    copy.has_quotes = copy.has_quotes or '"' in text
    copy.has_text = copy.has_text or (bool(text) and not text.isspace())
    if len(copy.sample) < 20000:
        copy.sample += text[: 20000 - len(copy.sample)]
    first = text.find("\n")
    if first < 0:
        run += len(text)
    else:
        copy.long_lines = copy.long_lines or run + first > MAX_FIELD_CHARS
        run = len(text) - text.rfind("\n") - 1
    copy.long_lines = copy.long_lines or run > MAX_FIELD_CHARS
    return run


def _transcode(f: BinaryIO, out: BinaryIO, name: str) -> _Copy:
    """Write the UTF-8 copy; the encoding is decided here.

    UTF-16 with a BOM; else UTF-8 if the whole file decodes as UTF-8; a file with valid
    UTF-8 sequences (or a UTF-8 BOM) and invalid bytes is refused at the first bad line;
    a file with no UTF-8 sequence at all is cp1252 (latin-1 for the 5 bytes cp1252 lacks).
    """
    start = f.read(3)
    if start[:2] in UTF16_BOMS:
        codec = "utf-16-le" if start[:2] == codecs.BOM_UTF16_LE else "utf-16-be"
        try:
            return _labelled(_write(f, out, codec, name, skip=2), "UTF-16")
        except _NotDecodable as bad:
            raise UnreadableFileError(_not_utf16_message(name, bad.line)) from None
    bom = start == codecs.BOM_UTF8
    try:
        return _labelled(_write(f, out, "utf-8", name, skip=3 if bom else 0), "UTF-8 with BOM" if bom else "UTF-8")
    except _NotDecodable as bad:
        if bad.saw_multibyte or _has_multibyte(f):
            raise UnreadableFileError(_mixed_message(name, bad.line)) from None
    for codec, label in (("cp1252", "cp1252 (Windows/Excel)"), ("latin-1", "latin-1")):
        out.seek(0)
        out.truncate()
        try:
            return _labelled(_write(f, out, codec, name), label)
        except _NotDecodable:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _labelled(copy: _Copy, label: str) -> _Copy:
    copy.encoding = label
    return copy


def _has_multibyte(f: BinaryIO) -> bool:
    """Whether a valid UTF-8 multi-byte sequence appears anywhere (chunks overlap by 3 bytes)."""
    f.seek(0)
    tail = b""
    for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
        if UTF8_MULTIBYTE.search(tail + chunk):
            return True
        tail = chunk[-3:]
    return False


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(5, len(sample) // 100)


def prepare(source: Source, name: str, upload_dir: Path, max_mb: float) -> RawFile:
    """Check and transcode an export (bytes in memory, or a file read in chunks) into `upload_dir`."""
    check_size(source, name, max_mb)
    read_header(source, name)  # the shape is bounded before the whole file is read
    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / f"{uuid.uuid4().hex}.csv"
    try:
        with open_source(source) as f, path.open("w+b") as out:
            copy = _transcode(f, out, name)
        if not copy.has_text:
            raise UnreadableFileError(_empty(name))
        if _looks_binary(copy.sample):
            raise UnreadableFileError(f"{name}: this is not a text CSV file. Export the data as CSV and try again.")
        header, delimiter = _read_first(path, name)
        if not any(header):
            raise UnreadableFileError(f"{name}: the first line is empty; it must hold the column names.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return RawFile(
        name=name,
        sha256=copy.sha256,
        encoding=copy.encoding,
        delimiter=delimiter,
        header=header,
        text_path=path,
        has_quotes=copy.has_quotes,
        physical_lines=copy.lines + (0 if _ends_with_newline(path) else 1),
        long_lines=copy.long_lines,
    )


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return True
        f.seek(-1, 2)
        return f.read(1) == b"\n"


# --- records and their lines ---------------------------------------------------------------------------


def record_lines(raw_file: RawFile, max_fields: int) -> list[int]:
    """The first physical line of each data record of the copy (quoted line breaks and blank lines skipped).

    Refuses, naming the line, a quote never closed, text after a closing quote, a value
    longer than MAX_FIELD_CHARS and a row of more than `max_fields` fields.
    """
    lines: list[int] = []
    with raw_file.text_path.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text, delimiter=raw_file.delimiter, strict=True)
        previous = 0
        try:
            for row in reader:
                if len(row) > max_fields:
                    raise UnreadableFileError(too_many_fields(previous + 1))
                if row and previous > 0:
                    lines.append(previous + 1)
                previous = reader.line_num
        except csv.Error as exc:
            raise UnreadableFileError(_record_error(str(exc), previous + 1, reader.line_num)) from None
    return lines


def unclosed_quote(line: int | str) -> str:
    return f'Line {line}: a quote (") opened here is never closed. Close the quoted value, or remove the quote.'


def too_many_fields(line: int | str) -> str:
    return (
        f"Line {line} has many more fields than the header line. Check for delimiters inside values that are "
        'not quoted, or quote those values ("a, b").'
    )


def _record_error(error: str, start: int, at: int) -> str:
    if "unexpected end of data" in error:
        return unclosed_quote(start)
    if "field larger than field limit" in error:
        return (
            f"Line {start}: a value is longer than {MAX_FIELD_CHARS:,} characters (the limit). "
            'Check for a quote (") that is never closed, or shorten the value.'
        )
    if "expected after" in error:
        return (
            f"Line {at}: a quoted value is followed by other text before the next delimiter. Quote the whole value, "
            'and write a quote inside a quoted value as two quotes ("").'
        )
    return f"Line {start} cannot be read as CSV. Check its quotes and delimiters."
