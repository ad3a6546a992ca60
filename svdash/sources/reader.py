"""The one reader of release files: format sniffing, encodings, and every release (or reject) in a file.

OCDS release packages, record packages, JSON Lines and Contracts Finder CSV exports, streamed. `iter_file(path)`
yields `Item` (a release dict and its position) or `Reject` (position, reason, excerpt) so nothing is dropped
silently. Memory stays bounded: JSON documents are parsed incrementally with ijson (one release in memory at a
time) and JSON Lines / CSV are read line by line. `jsonl_line` is the verdict on one JSON Lines line, which the
native (DuckDB) import also asks for the lines it leaves to Python. Both import paths — `files.import_file`
(streaming) and `native` (DuckDB) — read through this module; it imports neither.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import ijson

from svdash.sources import nonfinite

SNIFF_BYTES = 64 * 1024
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Item:
    position: str
    release: dict


@dataclass(frozen=True)
class Reject:
    position: str
    reason: str
    excerpt: str = ""


@dataclass
class FileInfo:
    """What the reader learned about a file (format, encoding) for the import summary."""
    path: str
    format: str = ""
    encoding: str = "utf-8"
    encoding_note: str = ""
    notes: list[str] = field(default_factory=list)
    damage: str = ""   # a gzip stream that ended early or is corrupt: reported once, after its releases


class ImportFormatError(ValueError):
    """The file is not a format svdash can read (the message names the file and why)."""


def _excerpt(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = " ".join(text.split())
    return text[:EXCERPT_CHARS]


# ---------------------------------------------------------------- gzip

GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """Sniffed from the magic bytes, not the name: a `.json` that is gzip is read, a `.gz` that is not is too."""
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


class _TolerantGzip(io.RawIOBase):
    """A gzip file's decompressed bytes (every member of a multi-member file), streamed at most 1 MB at a time, so
    memory stays bounded whatever it inflates to. A stream that is cut off or corrupt ends where the damage
    starts — every byte before it is given (zlib directly: `gzip.GzipFile` drops the last buffer when it meets
    the end early) — and the damage is written to `info.damage` with its position, for the reader to report
    after the releases it could read."""

    _WBITS = 16 + zlib.MAX_WBITS  # gzip header and trailer

    def __init__(self, path: Path, info: FileInfo | None):
        self._fh = open(path, "rb")
        self._z = zlib.decompressobj(self._WBITS)
        self._info, self._pending, self._given, self._done = info, b"", 0, False

    def readable(self) -> bool:
        return True

    def _damaged(self, what: str) -> None:
        self._done = True
        if self._info is not None:
            self._info.damage = (f"gzip data {what} after {self._given} decompressed bytes (compressed byte "
                                 f"{self._fh.tell()}); everything before it was read")

    def _fill(self) -> None:
        while not self._pending and not self._done:
            if self._z.unconsumed_tail:
                data = self._z.unconsumed_tail
            elif self._z.eof and self._z.unused_data:  # the next member
                data, self._z = self._z.unused_data, zlib.decompressobj(self._WBITS)
            else:
                data = self._fh.read(1 << 16)
                if not data:
                    if not self._z.eof:
                        self._damaged("cut off")
                    self._done = True
                    return
                if self._z.eof:
                    self._z = zlib.decompressobj(self._WBITS)
            try:
                self._pending = self._z.decompress(data, 1 << 20)
            except zlib.error as exc:
                self._damaged(f"corrupt ({exc})")

    def readinto(self, b) -> int:
        self._fill()
        n = min(len(b), len(self._pending))
        b[:n], self._pending = self._pending[:n], self._pending[n:]
        self._given += n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def open_bytes(path: Path, info: FileInfo | None = None) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip."""
    if is_gzip(path):
        return io.BufferedReader(_TolerantGzip(path, info), buffer_size=1 << 16)
    return open(path, "rb")


def inner_suffix(path: Path) -> str:
    """The suffix that names the format: `.jsonl` for `x.jsonl.gz`."""
    suffixes = [s.lower() for s in path.suffixes]
    return suffixes[-2] if len(suffixes) >= 2 and suffixes[-1] == ".gz" else path.suffix.lower()


# ---------------------------------------------------------------- encoding

def detect_encoding(path: Path) -> tuple[str, str]:
    """(codec, note). Streams the file once: valid UTF-8 → utf-8; otherwise a file with no valid multi-byte
    UTF-8 at all is an 8-bit export (Contracts Finder serves ISO-8859-1) → cp1252; else UTF-8 with
    invalid bytes replaced by U+FFFD. The note says which, with the first bad byte offset."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, first_bad, multibyte = 0, None, False
    with open_bytes(path) as fh:
        while chunk := fh.read(1 << 20):
            if first_bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    first_bad = offset + exc.start
            if not multibyte and any(b >= 0xC2 for b in chunk):
                multibyte = _has_valid_multibyte(chunk)
            offset += len(chunk)
            if first_bad is not None and multibyte:
                break
    if first_bad is None:
        try:
            decoder.decode(b"", final=True)
            return "utf-8", ""
        except UnicodeDecodeError:
            first_bad = offset
    if not multibyte:
        return "cp1252", f"not UTF-8 (first invalid byte at offset {first_bad}); decoded as Windows-1252/Latin-1"
    return "utf-8-replace", f"invalid UTF-8 bytes (first at offset {first_bad}) replaced with U+FFFD"


def _has_valid_multibyte(chunk: bytes) -> bool:
    text = chunk.decode("utf-8", "replace")
    return any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text)


def open_text(path: Path, encoding: str, info: FileInfo | None = None) -> IO[str]:
    """The file as text (decompressed when gzip; damage noted in `info`)."""
    if encoding == "utf-8-replace":
        codec, errors = "utf-8", "replace"
    elif encoding == "cp1252":
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so fall back per byte.
        codec, errors = "cp1252", "latin1_fallback"
    else:
        codec, errors = "utf-8-sig", "strict"
    return io.TextIOWrapper(open_bytes(path, info), encoding=codec, errors=errors, newline="")


def _latin1_fallback(exc: UnicodeError):
    if isinstance(exc, UnicodeDecodeError):
        return exc.object[exc.start:exc.end].decode("latin-1"), exc.end
    raise exc


codecs.register_error("latin1_fallback", _latin1_fallback)


class _Utf8Bytes(io.RawIOBase):
    """A text stream re-encoded as UTF-8 bytes, so ijson can stream files in any detected encoding."""

    def __init__(self, text: IO[str]):
        self._text, self._buf = text, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while len(self._buf) < len(b):
            chunk = self._text.read(1 << 16)
            if not chunk:
                break
            self._buf += chunk.encode("utf-8")
        n = min(len(b), len(self._buf))
        b[:n], self._buf = self._buf[:n], self._buf[n:]
        return n


# ---------------------------------------------------------------- format sniffing

# Archives are refused, not unpacked, so a zip bomb cannot exhaust memory or disk. Gzip (one compressed stream,
# as bulk OCDS downloads come) is read, streamed: memory stays bounded and nothing is written to disk.
_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive or XLSX workbook"), (b"PK\x05\x06", "an empty ZIP archive"),
    (GZIP_MAGIC, "a gzip file inside a gzip file"), (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"), (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Word (OLE) file"),
]


def refuse_binary(path: Path) -> None:
    """Raise ImportFormatError with a clear reason for archives, workbooks and other binary formats."""
    with open_bytes(path) as fh:  # a gzip file is read; what it holds is checked like any file
        head = fh.read(8)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            hint = ("save the sheet as CSV" if path.suffix.lower() in (".xlsx", ".xlsm", ".xls")
                    else "decompress it and import the JSON/CSV inside (archives are not opened, so a "
                         "decompression bomb cannot fill memory)")
            raise ImportFormatError(f"{path}: {what}, not OCDS JSON/JSON Lines or a Contracts Finder CSV; {hint}")

def sniff_format(path: Path, encoding: str = "utf-8") -> str:
    """'csv', 'jsonl', 'json' (one document: package or release) or 'empty'."""
    with open_text(path, encoding) as fh:
        head = fh.read(SNIFF_BYTES)
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "empty"
    suffix = inner_suffix(path)
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if stripped[0] not in "{[":
        first = stripped.split("\n", 1)[0]
        if suffix == ".csv" or any(d in first for d in _CSV_DELIMITERS):
            return "csv"
        try:  # a bare JSON string/number/true/null is JSON, just not OCDS
            kind = _JSON_KINDS.get(type(json.loads(head)).__name__, "value") if len(head) < SNIFF_BYTES else ""
        except ValueError:
            kind = ""
        if kind:
            raise ImportFormatError(f"{path}: the JSON document is a single {kind}, not an OCDS release, "
                                    "release package or record package (expected an object or array)")
        raise ImportFormatError(f"{path}: not JSON, JSON Lines or CSV (starts with {stripped[:30]!r})")
    first_line = stripped.split("\n", 1)[0].strip()
    rest = stripped[len(first_line):].lstrip()
    if first_line.startswith("{") and rest.startswith("{"):
        try:
            json.loads(first_line)
            return "jsonl"  # a complete object on line 1 followed by another object
        except ValueError:
            pass
    return "json"


# ---------------------------------------------------------------- item readers

def _classify_object(obj: object, position: str) -> Iterator[Item | Reject]:
    """A parsed JSON value → releases (expanding packages and records) or a reject with the reason."""
    if not isinstance(obj, dict):
        yield Reject(position, f"not a JSON object ({type(obj).__name__})", _excerpt(json.dumps(obj, default=str)))
        return
    if isinstance(obj.get("releases"), list) and "ocid" not in obj:
        for i, rel in enumerate(obj["releases"]):
            yield from _check_release(rel, f"{position} release {i}")
        return
    if isinstance(obj.get("records"), list):
        for i, rec in enumerate(obj["records"]):
            yield from _record_releases(rec, f"{position} record {i}")
        return
    yield from _check_release(obj, position)


def _check_release(rel: object, position: str) -> Iterator[Item | Reject]:
    if not isinstance(rel, dict):
        yield Reject(position, f"release is not a JSON object ({type(rel).__name__})", _excerpt(str(rel)))
    elif not isinstance(rel.get("ocid"), str) or not rel["ocid"].strip():
        yield Reject(position, "release has no ocid", _excerpt(json.dumps(rel, default=str)))
    else:
        yield Item(position, rel)


def _record_releases(rec: object, position: str) -> Iterator[Item | Reject]:
    """A record contributes its compiledRelease when present, else its embedded releases (linked
    releases that carry only a url are references, not data)."""
    if not isinstance(rec, dict):
        yield Reject(position, "record is not a JSON object", _excerpt(str(rec)))
        return
    compiled = rec.get("compiledRelease")
    if isinstance(compiled, dict):
        compiled = dict(compiled)
        compiled.setdefault("ocid", rec.get("ocid"))
        yield from _check_release(compiled, f"{position} compiledRelease")
        return
    embedded = [r for r in rec.get("releases") or [] if isinstance(r, dict) and set(r) - {"url", "date", "tag"}]
    if not embedded:
        yield Reject(position, "record has neither compiledRelease nor embedded releases",
                     _excerpt(json.dumps(rec, default=str)))
    for i, rel in enumerate(embedded):
        yield from _check_release(rel, f"{position} release {i}")


_SCALARS = ("string", "number", "boolean", "null")
_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")
# OCDS releases nest about 8 levels (tender.lots[].awardCriteria.criteria[].numbers[]); far deeper input is
# hostile or broken. The cap matters: ijson's prefixes make deep documents cost O(depth²) memory, and the
# json/flatten steps recurse.
MAX_DEPTH = 64


class _TooDeep(Exception):
    pass


@dataclass(frozen=True)
class _Malformed(Reject):
    """The JSON parser stopped (a Reject); `_iter_json_document` may re-read the document past the cause."""


def _iter_json_document(open_text: Callable[[], IO[str]]) -> Iterator[Item | Reject]:
    """One JSON document (`open_text` opens it afresh), streamed by `_parse_json_document`. When the parser
    stops and the text holds NaN or Infinity, the document is read again with those tokens outside strings
    written as null (`nonfinite.NonFiniteAsNull`), and the entries after the ones already given are given:
    one such value costs neither its release nor the rest of the file. A well-formed document is read once;
    only a document the parser refuses is scanned, and read again if the scan finds such a token."""
    emitted = 0
    with open_text() as text:
        for entry in _parse_json_document(io.BufferedReader(_Utf8Bytes(text), buffer_size=1 << 16)):
            if isinstance(entry, _Malformed) and _mentions_nonfinite(open_text):
                break
            yield _plain(entry)
            emitted += 1
        else:
            return
    with open_text() as text:
        stream = io.BufferedReader(nonfinite.NonFiniteAsNull(_Utf8Bytes(text)), buffer_size=1 << 16)
        for entry in itertools.islice(_parse_json_document(stream), emitted, None):
            yield _plain(entry)


def _mentions_nonfinite(open_text: Callable[[], IO[str]]) -> bool:
    """The text contains NaN or Infinity anywhere (strings included: a cheap hint, checked after a failure)."""
    tail = ""
    with open_text() as text:
        while chunk := text.read(1 << 20):
            window = tail + chunk
            if "NaN" in window or "Infinity" in window:
                return True
            tail = chunk[-8:]
    return False


def _plain(entry: Item | Reject) -> Item | Reject:
    return Reject(entry.position, entry.reason, entry.excerpt) if isinstance(entry, _Malformed) else entry


def _parse_json_document(stream: IO[bytes]) -> Iterator[Item | Reject]:
    """One JSON document, streamed: items of a top-level `releases`/`records` array (or of a top-level
    array) are built one at a time; a document without such an array is a single release, built whole.
    Nesting deeper than MAX_DEPTH is refused with a reject (bounded memory, no RecursionError). Numbers are
    read as Decimal (no overflow) and turned into what the json module gives (`nonfinite.number_value`)."""
    whole = ijson.ObjectBuilder()
    builder: ijson.ObjectBuilder | None = None
    container: str | None = None   # "item" (top-level array), "releases" or "records" once found
    item_depth = 0                  # depth of the container array; its items start at item_depth + 1
    finished = False                # the container array has ended: later keys are ignored
    pending_key: str | None = None  # a top-level "releases"/"records" key whose value is not seen yet
    depth, index = 0, 0

    def emit(value: object) -> Iterator[Item | Reject]:
        if container == "records":
            yield from _record_releases(value, f"record {index}")
        elif container == "releases":
            yield from _check_release(value, f"release {index}")
        else:
            yield from _classify_object(value, f"item {index}")

    def where() -> str:
        kind = {"records": "record", "releases": "release", "item": "item"}.get(container or "", "")
        return f"{kind} {index}" if kind and not finished else "document"

    try:
        for event, value in ijson.basic_parse(stream, use_float=False):
            if event == "number":
                value = nonfinite.number_value(value)
            elif event in _STARTS:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep
            if builder is not None:
                builder.event(event, value)
                if event in _ENDS and depth == item_depth + 1:
                    yield from emit(builder.value)
                    builder, index = None, index + 1
            elif container is not None and not finished:
                if depth == item_depth + 1 and event in _STARTS:
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                elif depth == item_depth and event in _SCALARS:
                    yield from emit(value)
                    index += 1
                elif depth == item_depth and event == "end_array":
                    finished = True
            elif container is None:
                if pending_key is not None and depth == 2 and event == "start_array":
                    container, item_depth, pending_key = pending_key, 2, None
                elif depth == 1 and event == "start_array" and not whole.containers:
                    container, item_depth = "item", 1
                else:
                    pending_key = value if depth == 1 and event == "map_key" and value in ("releases", "records") \
                        else None
                    whole.event(event, value)
            if event in _ENDS:
                depth -= 1
        if container is None:
            yield from _classify_object(whole.value, "document")
    except _TooDeep:
        yield Reject(where(), f"JSON nested deeper than {MAX_DEPTH} levels (OCDS needs about 8); refused as "
                              "malformed or hostile; items before it were kept")
    except (ijson.common.IncompleteJSONError, ijson.JSONError) as exc:
        detail = " ".join(str(exc).split())[:200] or "unexpected end of data"
        yield _Malformed(where(), f"malformed or truncated JSON ({detail}); items before it were kept")


def _too_deep(obj: object, limit: int = MAX_DEPTH) -> bool:
    """Iterative depth check (a recursive one would itself overflow on hostile input)."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _iter_jsonl(text: IO[str]) -> Iterator[Item | Reject]:
    for lineno, line in enumerate(text, start=1):
        yield from jsonl_line(line, lineno)


def jsonl_line(line: str, lineno: int) -> Iterator[Item | Reject]:
    """The releases (or rejects) of one JSON Lines line; nothing for a blank line."""
    if not line.strip():
        return
    try:
        obj = nonfinite.loads(line)  # 1e9999, NaN, Infinity outside strings → None
    except ValueError as exc:
        yield Reject(f"line {lineno}", f"malformed JSON line: {exc}", _excerpt(line))
        return
    except RecursionError:
        yield Reject(f"line {lineno}", "JSON nested too deeply to be an OCDS release; refused", _excerpt(line))
        return
    if _too_deep(obj):
        yield Reject(f"line {lineno}", f"JSON nested deeper than {MAX_DEPTH} levels (OCDS needs about 8); "
                                       "refused", _excerpt(line))
        return
    yield from _classify_object(obj, f"line {lineno}")


# Contracts Finder "Search → Download CSV" columns (tolerant: case, spaces and punctuation ignored).
_CF_COLUMNS = {
    "noticeidentifier": "notice_id", "noticeid": "notice_id", "id": "notice_id",
    "noticetype": "notice_type", "organisationname": "buyer_name", "buyer": "buyer_name",
    "status": "status", "publisheddate": "published", "published": "published",
    "title": "title", "description": "description", "postcode": "postcode", "region": "region",
    "cpvcodes": "cpv", "valuelow": "value_low", "valuehigh": "value_high", "awardedvalue": "awarded_value",
    "awardeddate": "awarded_date", "suppliers": "supplier", "supplier": "supplier", "links": "links",
    "additionaltext": "additional_text", "town": "town", "contacttown": "town", "contactpostcode": "postcode",
}
_CF_TAGS = {"contract": "tender", "opportunity": "tender", "pipeline": "planning", "earlyengagement": "planning",
            "futureopportunity": "planning", "awardedcontract": "award", "award": "award"}


def _norm_header(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _cf_csv_release(row: dict[str, str]) -> dict:
    """One Contracts Finder CSV row → a minimal OCDS release (CF ocids are `ocds-b5fd17-` + notice id)."""
    notice_id = row.get("notice_id", "").strip()
    tag = _CF_TAGS.get(_norm_header(row.get("notice_type", "")), "tender")
    if row.get("awarded_value", "").strip() or row.get("status", "").strip().lower() == "awarded":
        tag = "award"
    buyer = {"name": row.get("buyer_name", "").strip()}
    party = {"name": buyer["name"], "roles": ["buyer"],
             "address": {"postalCode": row.get("postcode", "").strip(), "locality": row.get("town", "").strip()}}
    value = row.get("value_high", "").strip() or row.get("value_low", "").strip()
    release: dict = {
        "ocid": f"ocds-b5fd17-{notice_id}" if notice_id else "",
        "date": row.get("published", "").strip(),
        "tag": [tag],
        "buyer": buyer,
        "parties": [party],
        "tender": {"title": row.get("title", "").strip(), "description": row.get("description", "").strip()},
    }
    if value:
        release["tender"]["value"] = {"amount": value, "currency": "GBP"}
    if row.get("awarded_value", "").strip():
        release["awards"] = [{"id": "1", "value": {"amount": row["awarded_value"].strip(), "currency": "GBP"}}]
    if row.get("additional_text", "").strip():
        release["description"] = row["additional_text"].strip()
    link = row.get("links", "").strip().split()[0] if row.get("links", "").strip() else ""
    if link.startswith("http"):
        release["tender"]["documents"] = [{"id": "1", "documentType": "tenderNotice", "url": link}]
    return release


_CSV_DELIMITERS = (",", ";", "\t")
_JSON_KINDS = {"NoneType": "null", "str": "string", "int": "number", "float": "number", "bool": "boolean"}


def _iter_cf_csv(text: IO[str], info: FileInfo | None = None) -> Iterator[Item | Reject]:
    first = text.readline()
    # Sniff on the header only (titles are full of commas); Excel in many locales saves with semicolons.
    delimiter = max(_CSV_DELIMITERS, key=first.count)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Reject("line 1", f"unreadable CSV header: {exc}")
        return
    mapped = [_CF_COLUMNS.get(_norm_header(h), "") for h in header]
    if "notice_id" not in mapped or "title" not in mapped:
        raise ImportFormatError("CSV is not a Contracts Finder export (needs 'Notice Identifier' and 'Title' columns;"
                                f" found {', '.join(header[:8])})")
    if delimiter != "," and info is not None:
        info.notes.append(f"line 1: {'semicolon' if delimiter == ';' else 'tab'}-delimited CSV")
    for key in sorted({k for k in mapped if k and mapped.count(k) > 1}):
        cols = [f"{i + 1} ({header[i]!r})" for i, k in enumerate(mapped) if k == key]
        if info is not None:
            info.notes.append(f"line 1: columns {', '.join(cols)} all mean {key}; the first non-empty value "
                              "in each row is used")
    row_no = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_no += 1
            yield Reject(f"row {row_no}", f"unreadable CSV row: {exc}")
            continue
        row_no += 1
        if not any(v.strip() for v in values):
            continue
        row = {}
        for key, val in zip(mapped, values):
            if key and not row.get(key):
                row[key] = val
        if len(values) != len(header):
            yield Reject(f"row {row_no}", f"expected {len(header)} columns, found {len(values)}", _excerpt(",".join(values)))
            continue
        if not row.get("notice_id", "").strip():
            yield Reject(f"row {row_no}", "row has no Notice Identifier (no ocid)", _excerpt(",".join(values)))
            continue
        yield Item(f"row {row_no}", _cf_csv_release(row))


def iter_file(path: str | Path, info: FileInfo | None = None) -> Iterator[Item | Reject]:
    """Every release in the file (as Item) and every unusable part (as Reject), in file order."""
    path = Path(path)
    info = info if info is not None else FileInfo(str(path))
    if not path.is_file():
        raise ImportFormatError(f"{path}: no such file")
    refuse_binary(path)
    info.encoding, info.encoding_note = detect_encoding(path)
    info.format = sniff_format(path, info.encoding)
    if info.format == "empty":
        yield Reject("file", "empty file")
        return
    info.damage = ""
    if info.format == "json":
        yield from _iter_json_document(lambda: open_text(path, info.encoding, info))
    else:
        with open_text(path, info.encoding, info) as text:
            if info.format == "jsonl":
                yield from _iter_jsonl(text)
            else:
                yield from _iter_cf_csv(text, info)
    if info.damage:
        yield Reject("file", info.damage)
