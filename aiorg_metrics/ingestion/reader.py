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
import itertools
import re
import uuid
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aiorg_metrics.common.textchars import CONTROL, control_name

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
    has_control: bool = True  # a control character somewhere (False: no value needs the check)
    header_line: int = 1  # 2 after Excel's "sep=;" line, which the copy keeps (line numbers stay physical)

    @property
    def delimiter_label(self) -> str:
        label = DELIMITERS[self.delimiter] + "-separated" if self.delimiter != "\t" else "tab-separated"
        if self.header_line > 1:
            label += f" (as its first line sep={_shown_delimiter(self.delimiter)} says)"
        return label


def _shown_delimiter(delimiter: str) -> str:
    return "<tab>" if delimiter == "\t" else delimiter


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
    return _read_first(source, name).header


@dataclass(frozen=True)
class _Head:
    header: tuple[str, ...]
    delimiter: str
    line: int  # the header's physical line: 2 after a "sep=;" line


def _read_first(source: Source, name: str) -> _Head:
    """The header line: its column names and delimiter (Excel's "sep=;" first line says which, and is skipped)."""
    with open_source(source) as f:
        lines = _head_lines(f, name)
        line, complete = next(lines)
        sep = _sep_line(line, name) if complete else None
        if sep is not None:
            line, complete = next(lines, ("", True))
    number = 1 if sep is None else 2
    if not line.strip() and complete and sep is None and not _has_more_text(source):
        raise UnreadableFileError(_empty(name))
    delimiter = sep or sniff_delimiter(line)
    return _Head(_header(line, delimiter, name, complete, number), delimiter, number)


SEP_LINE = re.compile(r'"?sep=(.)"?[,;\t]*', re.IGNORECASE)


def _sep_line(line: str, name: str) -> str | None:
    """The delimiter named by Excel's "sep=;" first line, if the line is one."""
    found = SEP_LINE.fullmatch(line.strip(" \ufeff"))
    if found is None:
        return None
    if found.group(1) not in DELIMITERS:
        raise UnreadableFileError(
            f"{name}: line 1 says the values are separated by '{found.group(1)}' (sep={found.group(1)}); only "
            "commas, semicolons and tabs are read. Export the file again with one of those."
        )
    return found.group(1)


def _has_more_text(source: Source) -> bool:
    with open_source(source) as f:
        return any(chunk.strip() for chunk in iter(lambda: f.read(CHUNK_BYTES), b""))


def _head_lines(f: BinaryIO, name: str) -> Iterator[tuple[str, bool]]:
    """The first lines' text, one by one, each with whether its end was found within HEADER_BYTES."""
    utf16 = _utf16(f.read(UTF16_SNIFF_BYTES))
    f.seek(0)
    if utf16 is not None:
        yield from _utf16_lines(f, name, *utf16)
    else:
        yield from _byte_lines(f, name)


def _byte_lines(f: BinaryIO, name: str) -> Iterator[tuple[str, bool]]:
    """Lines of an 8-bit file (UTF-8 or cp1252: a line end is the same byte in both)."""
    buffer, number = b"", 1
    while True:
        end = re.search(rb"\r\n?|\n", buffer)
        if end:
            yield _decode_line(buffer[: end.start()], name, number), True
            buffer, number = buffer[end.end() :], number + 1
            continue
        if len(buffer) >= HEADER_BYTES:
            yield _decode_line(buffer, name, number), not f.read(1)
            return
        chunk = f.read(min(CHUNK_BYTES, HEADER_BYTES - len(buffer)))
        if not chunk:
            yield _decode_line(buffer, name, number), True
            return
        buffer += chunk


def _utf16_lines(f: BinaryIO, name: str, codec: str, skip: int) -> Iterator[tuple[str, bool]]:
    f.seek(skip)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    text, read, number = "", 0, 1
    while True:
        end = re.search(r"\r\n?|\n", text)
        if end:
            line, text = text[: end.start()], text[end.end() :]
            _refuse_nul_text(line, name, number - 1)
            yield line, True
            number += 1
            continue
        chunk = f.read(min(CHUNK_BYTES, max(0, HEADER_BYTES - read)))
        if read >= HEADER_BYTES or not chunk:
            _refuse_nul_text(text, name, number - 1)
            yield text, read < HEADER_BYTES
            return
        read += len(chunk)
        try:
            text += decoder.decode(chunk)
        except UnicodeDecodeError:
            raise UnreadableFileError(_not_utf16_message(name, number)) from None


UTF16_SNIFF_BYTES = 1024


def _utf16(start: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) of a UTF-16 file, with or without its byte-order mark; None for other files.

    Without a mark, the first line decides: ASCII text in UTF-16 has a zero byte after
    (little-endian) or before (big-endian) every character, which no 8-bit text has.
    """
    if start[:2] == codecs.BOM_UTF16_LE:
        return "utf-16-le", 2
    if start[:2] == codecs.BOM_UTF16_BE:
        return "utf-16-be", 2
    pairs = [start[i : i + 2] for i in range(0, len(start) - 1, 2)]
    ends = {b"\n\x00", b"\r\x00", b"\x00\n", b"\x00\r"}
    first_line = pairs[: next((i for i, pair in enumerate(pairs) if pair in ends), len(pairs))]
    if len(first_line) < 2:
        return None
    for codec, zero in (("utf-16-le", 1), ("utf-16-be", 0)):
        if all(pair[zero] == 0 and pair[1 - zero] != 0 for pair in first_line):
            return codec, 0
    return None


def _decode_line(data: bytes, name: str, number: int = 1) -> str:
    """A line's text: UTF-8 (BOM dropped), else cp1252 when it holds no UTF-8 sequence at all."""
    if b"\x00" in data:
        raise UnreadableFileError(_nul_message(name, number))
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if UTF8_MULTIBYTE.search(data):
            raise UnreadableFileError(_mixed_message(name, number)) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _header(line: str, delimiter: str, name: str, complete: bool = True, number: int = 1) -> tuple[str, ...]:
    """The column names of the header line (line `number`), within MAX_COLUMNS and MAX_NAME_CHARS.

    `complete` is False when the line runs past HEADER_BYTES: only its start was read.
    """
    try:
        row = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        row = [line]  # one cell longer than the field limit: a name far too long
    _refuse_unclosed_header_quote(line, delimiter, name, number)
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


QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')


def _refuse_unclosed_header_quote(line: str, delimiter: str, name: str, number: int) -> None:
    """A quote opened in the header line and never closed would swallow the file into one column name."""
    if '"' not in line:
        return
    at, column = 0, 1
    while True:
        if line.startswith('"', at):  # as for Python's csv, a quote opens a value only at its start
            closed = QUOTED.match(line, at)
            if closed is None:
                raise UnreadableFileError(
                    f'{name}: line {number}, the header line, opens a quote (") in column {column} that is never '
                    "closed. Remove that quote, or close it after the column name."
                )
            at = closed.end()
        at = line.find(delimiter, at)
        if at < 0:
            return
        at, column = at + 1, column + 1


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
    has_control: bool = False


class _NotDecodable(Exception):  # noqa: N818 - internal signal: try the next encoding
    def __init__(self, line: int, saw_multibyte: bool) -> None:
        super().__init__(line)
        self.line, self.saw_multibyte = line, saw_multibyte


class _HoldsMultibyte(Exception):  # noqa: N818 - internal signal: a file read as cp1252 holds UTF-8 sequences
    pass


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


def _write(f: BinaryIO, out: BinaryIO, codec: str, name: str, skip: int = 0, refuse_multibyte: bool = False) -> _Copy:
    """Decode the stream (after `skip` bytes of BOM) with `codec` into `out`: UTF-8, '\\n' line ends, by chunks.

    With `refuse_multibyte`, raise `_HoldsMultibyte` at the first valid UTF-8 multi-byte sequence (chunks
    overlap by 3 bytes): checked in this pass over the file rather than in one of its own."""
    f.seek(0)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    digest = hashlib.sha256(f.read(skip))
    copy = _Copy(codec, "", 0, False, False, "", False)
    run, held_cr, multibyte, tail = 0, "", False, b""
    while True:
        chunk = f.read(CHUNK_BYTES)
        if refuse_multibyte and _multibyte_in(tail + chunk):
            raise _HoldsMultibyte
        tail = chunk[-3:]
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
        encoded = text.encode("utf-8")
        copy.has_control = copy.has_control or _holds_control(encoded)
        out.write(encoded)
        if not chunk:
            break
    copy.sha256 = digest.hexdigest()
    return copy


# The bytes that are not a control character of CONTROL in UTF-8 text: a C0 control or DEL is its own
# byte, and a C1 control (U+0080 to U+009F) is 0xC2 then 0x80 to 0x9F.
_NOT_C0 = bytes(b for b in range(256) if not CONTROL.fullmatch(chr(b)) or b >= 0x80)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _holds_control(encoded: bytes) -> bool:
    """Whether UTF-8 text holds a character CONTROL matches (in C: 0.1 s at 75 MB, half the pattern's time)."""
    return bool(encoded.translate(None, _NOT_C0)) or (b"\xc2" in encoded and _C1.search(encoded) is not None)


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

    UTF-16 with a BOM, or without one when the first line shows it; else UTF-8 if the whole
    file decodes as UTF-8; a file with valid UTF-8 sequences and invalid bytes is refused at
    the first bad line; a file with no UTF-8 sequence at all is cp1252 (latin-1 for the 5
    bytes cp1252 lacks), even after a UTF-8 BOM: some tools add the mark to a cp1252 text,
    and with no UTF-8 sequence anywhere cp1252 is the only reading that gives its accents.
    """
    utf16 = _utf16(f.read(UTF16_SNIFF_BYTES))
    if utf16 is not None:
        codec, skip = utf16
        try:
            copy = _write(f, out, codec, name, skip=skip)
            return _labelled(copy, "UTF-16" if skip else "UTF-16 (no byte-order mark)")
        except _NotDecodable as bad:
            raise UnreadableFileError(_not_utf16_message(name, bad.line)) from None
    f.seek(0)
    bom = 3 if f.read(3) == codecs.BOM_UTF8 else 0
    try:
        return _labelled(_write(f, out, "utf-8", name, skip=bom), "UTF-8 with BOM" if bom else "UTF-8")
    except _NotDecodable as bad:
        if bad.saw_multibyte:
            raise UnreadableFileError(_mixed_message(name, bad.line)) from None
        first_bad_line = bad.line
    for codec, label in (("cp1252", "cp1252 (Windows/Excel)"), ("latin-1", "latin-1")):
        out.seek(0)
        out.truncate()
        try:
            copy = _write(f, out, codec, name, skip=bom, refuse_multibyte=True)
            return _labelled(copy, label + (" after a UTF-8 mark" if bom else ""))
        except _NotDecodable:
            continue
        except _HoldsMultibyte:  # valid UTF-8 sequences and invalid bytes: neither reading is right
            raise UnreadableFileError(_mixed_message(name, first_bad_line)) from None
    raise AssertionError("latin-1 decodes every byte")


def _labelled(copy: _Copy, label: str) -> _Copy:
    copy.encoding = label
    return copy


def _multibyte_in(window: bytes) -> bool:
    """Whether the bytes hold a valid UTF-8 multi-byte sequence.

    The decoder with `surrogateescape` turns each byte it cannot decode into one character, and each
    valid sequence of two to four bytes into one: the text is shorter than the bytes exactly when the
    bytes hold a sequence that UTF8_MULTIBYTE matches. Thirteen times faster than the pattern (1.7 s at
    75 MB), which stays for a single line (`_decode_line`).
    """
    return len(window.decode("utf-8", "surrogateescape")) < len(window)


def _looks_binary(sample: str) -> bool:
    """Whether over 1% of the sample (and more than 5 characters) are control characters."""
    return len(CONTROL.findall(sample)) > max(5, len(sample) // 100)


def _binary_message(name: str, sample: str, head: _Head) -> str:
    """The refusal of a file full of control characters, naming the first one, its line and its column."""
    found = CONTROL.search(sample)
    assert found is not None  # the sample looks binary
    line = sample[: found.start()].count("\n") + 1
    where = "" if line <= head.line else f" in column {_column_holding(sample, head, found.group())}"
    return (
        f"{name}: this does not look like a text CSV file: it holds many control characters (invisible codes, "
        f"not text). The first is on line {line}: the control character {control_name(found.group())}{where}. "
        "Remove these characters from the values (Find and Replace), or export the data again as CSV."
    )


def _column_holding(sample: str, head: _Head, char: str) -> str:
    """The header name of the first value of the sample's data rows that holds `char`."""
    rows = csv.reader(io.StringIO(sample), delimiter=head.delimiter)
    try:
        for row in itertools.islice(rows, head.line, None):
            for i, value in enumerate(row):
                if char in value:
                    return head.header[i] if i < len(head.header) and head.header[i] else f"{i + 1}"
    except csv.Error:  # the sample ends inside a value
        pass
    return "?"


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
        head = _read_first(path, name)
        if _looks_binary(copy.sample):
            raise UnreadableFileError(_binary_message(name, copy.sample, head))
        if not any(head.header):
            raise UnreadableFileError(f"{name}: line {head.line} is empty; it must hold the column names.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return RawFile(
        name=name,
        sha256=copy.sha256,
        encoding=copy.encoding,
        delimiter=head.delimiter,
        header=head.header,
        text_path=path,
        has_quotes=copy.has_quotes,
        physical_lines=copy.lines + (0 if _ends_with_newline(path) else 1),
        long_lines=copy.long_lines,
        has_control=copy.has_control,
        header_line=head.line,
    )


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return True
        f.seek(-1, 2)
        return f.read(1) == b"\n"


# --- records and their lines ---------------------------------------------------------------------------


def record_lines(raw_file: RawFile, max_fields: int) -> array[int]:
    """The first physical line of each data record of the copy (quoted line breaks and blank lines skipped).

    Refuses, naming the line, a quote never closed, text after a closing quote, a value
    longer than MAX_FIELD_CHARS and a row of more than `max_fields` fields. Eight bytes a
    record (a list of ints took 36: 360 MB at 10^7 records).
    """
    lines = array("q")
    with raw_file.text_path.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text, delimiter=raw_file.delimiter, strict=True)
        previous = 0
        try:
            for row in reader:
                if len(row) > max_fields:
                    raise UnreadableFileError(too_many_fields(previous + 1))
                if row and previous >= raw_file.header_line:  # the records from the header's on
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
