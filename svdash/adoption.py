"""Authority adoption records: schema, reading CSV/XLSX, row-level validation, merging and selection.

The embedded records (data/adoption/adoption_records.csv, see data/SOURCES.md) are evidence found,
not a census: a council without a record is *unknown*, not a non-adopter.

Row numbers in messages are spreadsheet rows: the header is row 1, the first record row 2.
Severity `error` means the row is not used; `warning` means it is kept (possibly with a fix noted).
"""
from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
from rapidfuzz import fuzz, process

from svdash import geo, policy_weighting
from svdash.paths import ADOPTION_DIR, GEO_DIR

STATUSES = ("policy_adopted", "charter_adopted", "strategy_adopted", "developing", "none_found")
ADOPTED_STATUSES = ("policy_adopted", "charter_adopted", "strategy_adopted")
CONFIDENCES = ("high", "medium", "low")
COLUMNS = [
    "gss_code", "council_name", "status", "policy_name", "adopted_date", "weighting_pct", "uses_toms",
    "source_url", "source_title", "note", "confidence",
]
# Without these a row cannot be identified or checked; the rest may be absent and read as blank.
REQUIRED_COLUMNS = ("council_name", "status", "source_url")
HEADER_ALIASES = {"accessed_note": "note", "gss": "gss_code", "code": "gss_code", "name": "council_name"}
EARLIEST_YEAR = 2012  # the Act received Royal Assent on 8 March 2012; earlier dates are typos
EMBEDDED_FILE = ADOPTION_DIR / "adoption_records.csv"
SURVEYS_FILE = ADOPTION_DIR / "national_surveys.csv"

_CODE_RE = re.compile(r"^[EWSN]\d{8}$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CONF_RANK = {"high": 3, "medium": 2, "low": 1, "": 0}
_STATUS_RANK = {"policy_adopted": 4, "charter_adopted": 3, "strategy_adopted": 2, "developing": 1, "none_found": 0}


class AdoptionFileError(ValueError):
    """The file as a whole cannot be read (encoding, headers, format): one clear sentence."""


@dataclass(frozen=True)
class Message:
    file: str
    row: int  # spreadsheet row (header = 1); 0 for file-level messages
    column: str
    reason: str
    severity: str  # "error" (row not used) or "warning" (row kept)

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        col = f" [{self.column}]" if self.column else ""
        return f"{where}{col} {self.severity}: {self.reason}"


def messages_frame(messages: list[Message]) -> pd.DataFrame:
    """Messages as a table (file, row, column, reason, severity) for display or download."""
    return pd.DataFrame([asdict(m) for m in messages], columns=["file", "row", "column", "reason", "severity"])


# --------------------------------------------------------------------------------------------- reading

def _normalise_header(h: object) -> str:
    name = re.sub(r"[^0-9a-z]+", "_", str(h if h is not None else "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(name, name)


def _frame_from_rows(header: list, rows: list[tuple[int, list]], file: str) -> tuple[pd.DataFrame, list[Message]]:
    """Check the header and build a string frame with a `_row` column; ragged rows become messages."""
    names = [_normalise_header(h) for h in header]
    while names and names[-1] == "":  # trailing empty header cells from spreadsheets
        names.pop()
    if not names:
        raise AdoptionFileError(f"{file}: no header row found (expected columns {', '.join(COLUMNS)})")
    blank = [i + 1 for i, n in enumerate(names) if n == ""]
    if blank:
        raise AdoptionFileError(f"{file}: header cell(s) in column(s) {blank} are empty; every column needs a name")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AdoptionFileError(f"{file}: duplicate column(s) in header: {', '.join(dupes)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise AdoptionFileError(
            f"{file}: missing required column(s) {', '.join(missing)}; header read as: {', '.join(names)}")
    messages = []
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        messages.append(Message(file, 1, ",".join(unknown), "column(s) not in the schema are ignored", "warning"))
    records, row_numbers = [], []
    width = len(names)
    for rownum, cells in rows:
        cells = ["" if c is None else str(c).strip() for c in cells]
        if not any(cells):
            continue  # blank lines are not records
        if len(cells) > width and any(cells[width:]):
            messages.append(Message(file, rownum, "", f"row has {len(cells)} cells but the header has {width}; "
                                    "check quoting of commas", "error"))
            continue
        cells = (cells + [""] * width)[:width]
        records.append(cells)
        row_numbers.append(rownum)
    frame = pd.DataFrame(records, columns=names, dtype="object")
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[COLUMNS].astype("object")
    frame.insert(0, "_row", pd.Series(row_numbers, dtype="int64"))
    return frame, messages


def read_csv_bytes(data: bytes, file: str = "upload.csv") -> tuple[pd.DataFrame, list[Message]]:
    """Read a CSV: UTF-8 (BOM tolerated) or Latin-1/cp1252 fallback; comma, semicolon or tab delimited."""
    messages: list[Message] = []
    text = _decode_lines(data, file, messages)
    if "\x00" in text:  # NUL bytes are never meaningful in a spreadsheet export and break later tools
        rows_with_nul = [i + 1 for i, line in enumerate(text.splitlines()) if "\x00" in line]
        text = text.replace("\x00", "")
        messages.append(Message(file, rows_with_nul[0] if rows_with_nul else 0, "",
                                f"NUL byte(s) removed on line(s) {_some(rows_with_nul)}", "warning"))
    if not text.strip():
        raise AdoptionFileError(f"{file}: the file is empty")
    first_line = text.splitlines()[0]
    # Sniff on the header only: record text is full of commas and semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise AdoptionFileError(f"{file}: not a readable CSV ({exc})") from exc
    # csv.reader counts records, not physical lines; a quoted note may span lines, so use record order.
    frame, more = _frame_from_rows(rows[0], [(i + 2, r) for i, r in enumerate(rows[1:])], file)
    return frame, messages + more


def _some(numbers: list[int], n: int = 10) -> str:
    return ", ".join(map(str, numbers[:n])) + (f" and {len(numbers) - n} more" if len(numbers) > n else "")


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _decode_one(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def _decode_lines(data: bytes, file: str, messages: list[Message]) -> str:
    """UTF-8 (BOM tolerated), UTF-16 with a BOM, else line by line: a line that is not UTF-8 is read as
    Windows-1252, so a file pasted together from two exports keeps both halves readable (lines named)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise AdoptionFileError(f"{file}: starts like UTF-16 but is not ({exc.reason}); save as UTF-8 CSV") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    bad = [i + 1 for i, line in enumerate(lines) if not _is_utf8(line)]
    text = "\n".join(_decode_one(line) for line in lines)
    if not bad or len(bad) == len([ln for ln in lines if ln.strip()]) or len(bad) > len(lines) // 2:
        messages.append(Message(file, 0, "", "file is not UTF-8; read as Windows-1252/Latin-1", "warning"))
    else:
        messages.append(Message(file, bad[0], "", f"mixed encodings: line(s) {_some(bad)} are not UTF-8 and were "
                                "read as Windows-1252/Latin-1; the other lines as UTF-8", "warning"))
    return text


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2020 and 10 as floats
    return str(value).strip()


# An adoption workbook is a few hundred rows; these caps refuse decompression bombs before openpyxl
# inflates them (XLSX is a ZIP; a 50 MB upload could otherwise expand to many GB).
XLSX_MAX_UNCOMPRESSED = 100 << 20
XLSX_MAX_RATIO = 200
XLSX_MAX_MEMBERS = 10_000


def _check_zip(data: bytes, file: str) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise AdoptionFileError(f"{file}: not a readable XLSX workbook (BadZipFile: {exc})") from exc
    if len(infos) > XLSX_MAX_MEMBERS:
        raise AdoptionFileError(f"{file}: refused: the workbook holds {len(infos)} parts (limit {XLSX_MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise AdoptionFileError(f"{file}: refused: the workbook would expand to {total >> 20} MB "
                                f"(limit {XLSX_MAX_UNCOMPRESSED >> 20} MB); save it as CSV or split it")
    worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
    if worst is not None and worst.file_size > (1 << 20) and worst.file_size / max(worst.compress_size, 1) > XLSX_MAX_RATIO:
        raise AdoptionFileError(f"{file}: refused: part {worst.filename} expands {worst.file_size // max(worst.compress_size, 1)}"
                                f" times (limit {XLSX_MAX_RATIO}), which looks like a decompression bomb")


def read_xlsx_bytes(data: bytes, file: str = "upload.xlsx") -> tuple[pd.DataFrame, list[Message]]:
    """Read the first sheet (or one named adoption_records) of an XLSX workbook.

    Formulas are read as their cached values (flagged); a formula with no cached value (a workbook
    never opened in Excel) is an error for that cell. Merged cells take the top-left value (flagged).
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _check_zip(data, file)
    try:
        wb_values = load_workbook(io.BytesIO(data), data_only=True)
        wb_formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises several types for a non-workbook
        raise AdoptionFileError(f"{file}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    name = "adoption_records" if "adoption_records" in wb_values.sheetnames else wb_values.sheetnames[0]
    ws, wf = wb_values[name], wb_formulas[name]
    messages: list[Message] = []
    grid = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    if not grid:
        raise AdoptionFileError(f"{file}: sheet {name!r} is empty")
    width = max(len(r) for r in grid)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid[r - 1][c - 1] = top
        messages.append(Message(file, rng.min_row, str(rng.coord),
                                "merged cells: the top-left value is used for every cell in the range", "warning"))
    header = [_normalise_header(h) for h in grid[0]]
    for row in wf.iter_rows():
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                col = header[cell.column - 1] if cell.column - 1 < len(header) else get_column_letter(cell.column)
                cached = grid[cell.row - 1][cell.column - 1]
                if cached is None:
                    messages.append(Message(file, cell.row, col, f"formula {cell.value} has no saved value "
                                            "(open and save the file in a spreadsheet program); cell read as blank",
                                            "warning"))
                else:
                    messages.append(Message(file, cell.row, col, "formula read as its saved value", "warning"))
    rows = [(i + 2, [_cell_text(v) for v in r]) for i, r in enumerate(grid[1:])]
    frame, more = _frame_from_rows([_cell_text(h) for h in grid[0]], rows, file)
    return frame, messages + more


def read_records(path: str | Path, data: bytes | None = None) -> tuple[pd.DataFrame, list[Message]]:
    """Read a CSV or XLSX file of records (raw strings, `_row` = spreadsheet row), with reading messages."""
    path = Path(path)
    if data is None:
        if not path.is_file():
            raise AdoptionFileError(f"{path}: no such file")
        data = path.read_bytes()
    if data[:2] == b"PK" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(data, path.name)
    if path.suffix.lower() == ".xls":
        raise AdoptionFileError(f"{path.name}: old .xls workbooks are not supported; save as .xlsx or CSV")
    return read_csv_bytes(data, path.name)


# ----------------------------------------------------------------------------------------- name matching

_GENERIC = {"council", "borough", "district", "metropolitan", "mbc", "bc", "dc", "cc", "ua", "the", "of",
            "corporation", "royal", "lb", "london", "boro", "city", "county", "and"}


def _norm(name: str) -> str:
    s = re.sub(r"[^0-9a-z]+", " ", name.lower().replace("&", " and ")).split()
    core = [t for t in s if t not in _GENERIC]
    return " ".join(core) if core else " ".join(s)


@lru_cache(maxsize=4)
def _name_index(geo_dir: Path) -> tuple[dict[str, set[str]], dict[str, list[str]], dict[str, str]]:
    """code → normalised names; normalised name → codes (current councils first); code → display name."""
    names = geo.load_council_names(geo_dir)
    names = names[names["nation"].eq("England")]
    hist = geo.load_code_history(geo_dir)
    by_code: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    for r in names.itertuples(index=False):
        variants = [r.name, r.nice_name, *[a for a in r.alt_names.split("|") if a]]
        by_code.setdefault(r.gss_code, set()).update(_norm(v) for v in variants)
        display[r.gss_code] = r.name
    for r in hist.itertuples(index=False):
        by_code.setdefault(r.code, set()).add(_norm(r.name))
        display.setdefault(r.code, r.name)
    current = set(hist.loc[hist["status"].eq("current"), "code"])
    by_name: dict[str, list[str]] = {}
    for code, variants in by_code.items():
        for v in variants:
            by_name.setdefault(v, []).append(code)
    for v, codes in by_name.items():
        codes.sort(key=lambda c: (c not in current, c))
    return by_code, by_name, display


def resolve_name(name: str, geo_dir: Path = GEO_DIR) -> tuple[str, float]:
    """Best English council code for a name: (code, score 0–100), ("", 0) when nothing is close.

    Exact normalised match first (preferring a current code), then fuzzy (token set ratio ≥ 92) when
    the best candidate is clearly ahead; ambiguity returns nothing rather than a guess.
    """
    if not name.strip():
        return "", 0.0
    _, by_name, _ = _name_index(geo_dir)
    key = _norm(name)
    if key in by_name:
        return by_name[key][0], 100.0
    hits = process.extract(key, list(by_name), scorer=fuzz.token_set_ratio, limit=3, score_cutoff=92)
    if not hits:
        return "", 0.0
    best = hits[0]
    codes = {c for h in hits if h[1] == best[1] for c in by_name[h[0]][:1]}
    if len(codes) > 1:
        return "", 0.0
    return by_name[best[0]][0], float(best[1])


def name_score(name: str, code: str, geo_dir: Path = GEO_DIR) -> float:
    """How well a name fits a code's registered names and alternative spellings (0–100)."""
    by_code, _, _ = _name_index(geo_dir)
    variants = by_code.get(code, set())
    key = _norm(name)
    if not variants or not key:
        return 0.0
    return max(max(fuzz.ratio(key, v), fuzz.token_set_ratio(key, v)) for v in variants)


# -------------------------------------------------------------------------------------------- validation

def _check_date(value: str, today: date) -> str | None:
    """None when fine, else the reason."""
    m = _DATE_RE.match(value)
    if not m:
        return f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is not None and not 1 <= int(mo) <= 12:
        return f"date {value!r} has month {mo}"
    if d is not None and not 1 <= int(d) <= calendar.monthrange(y, int(mo))[1]:
        return f"date {value!r} is not a calendar day"
    if y < EARLIEST_YEAR:
        return f"date {value!r} is before {EARLIEST_YEAR}, when the Social Value Act was passed"
    earliest_meaning = date(y, int(mo or 1), int(d or 1))
    if earliest_meaning > today:
        return f"date {value!r} is in the future (today is {today.isoformat()})"
    return None


def validate(
    raw: pd.DataFrame, file: str = "records", today: date | None = None, geo_dir: Path = GEO_DIR,
) -> tuple[pd.DataFrame, list[Message]]:
    """Check every row against the schema rules; return (usable rows in schema order, messages).

    Rows with an error are left out (listed in the messages); rows with warnings are kept, with any
    fix described (a code filled from the name, a value normalised). Nothing is dropped silently.
    """
    today = today or date.today()
    by_code, _, display = _name_index(geo_dir)
    hist = geo.load_code_history(geo_dir).set_index("code")
    messages: list[Message] = []
    keep: list[dict] = []
    rows = raw if "_row" in raw.columns else raw.assign(_row=range(2, len(raw) + 2))
    for rec in rows.to_dict("records"):
        r = {c: str(rec.get(c, "") if pd.notna(rec.get(c, "")) else "").strip() for c in COLUMNS}
        n = int(rec["_row"])
        errs: list[Message] = []
        warns: list[Message] = []

        def err(col: str, reason: str) -> None:
            errs.append(Message(file, n, col, reason, "error"))

        def warn(col: str, reason: str) -> None:
            warns.append(Message(file, n, col, reason, "warning"))

        # status
        status = re.sub(r"[\s-]+", "_", r["status"].lower())
        if status not in STATUSES:
            err("status", f"status {r['status']!r} is not one of {', '.join(STATUSES)}")
        r["status"] = status

        # code and name
        code = r["gss_code"].upper().replace(" ", "")
        name = r["council_name"]
        if not code:
            if not name:
                err("gss_code", "no code and no council name: the row cannot be tied to a council")
            else:
                guess, score = resolve_name(name, geo_dir)
                if guess:
                    code = guess
                    extra = "" if guess in hist.index else "; not a council map unit, so not on the map"
                    warn("gss_code", f"code was blank; filled as {guess} ({display.get(guess, '')}) "
                                     f"from the name (match {score:.0f}/100){extra}")
                else:
                    warn("gss_code", f"code is blank and {name!r} matches no English council; kept without a "
                                     "code (it will not appear on the map)")
        elif not _CODE_RE.match(code):
            guess, _ = resolve_name(name, geo_dir)
            hint = f"; the name suggests {guess} ({display.get(guess, '')})" if guess else ""
            err("gss_code", f"{code!r} is not a GSS code (a letter and 8 digits){hint}")
        elif code not in hist.index and code in by_code:
            # An English authority in the register that is not a map unit (Greater London Authority).
            warn("gss_code", f"{code} ({display.get(code, '')}) is not a district, unitary or county council; "
                             "kept, but it has no place on the council map")
        elif code not in hist.index:
            guess, _ = resolve_name(name, geo_dir)
            hint = f"; the name suggests {guess} ({display.get(guess, '')})" if guess else ""
            where = "not an English council code" if code[0] in "WSN" else "unknown GSS code"
            err("gss_code", f"{code}: {where}{hint}")
        else:
            if hist.at[code, "status"] != "current":
                today_codes = geo.current_codes(code, geo_dir)
                names = ", ".join(f"{c} ({display.get(c, '')})" for c in today_codes) or "none found"
                warn("gss_code", f"{code} ({display.get(code, '')}) is a retired code "
                                 f"({hist.at[code, 'relation']} {hist.at[code, 'change_year']}); today's code: {names}. "
                                 "Kept as recorded: the record is about the former council")
            if not name:
                r["council_name"] = display.get(code, "")
                warn("council_name", f"council name was blank; filled from the code as {r['council_name']!r}")
            elif name_score(name, code, geo_dir) < 80:
                guess, _ = resolve_name(name, geo_dir)
                hint = f"; the name matches {guess} ({display.get(guess, '')})" if guess and guess != code else ""
                warn("council_name", f"{name!r} does not match {code} ({display.get(code, '')}){hint}; "
                                     "the code is kept - check which is right")
        r["gss_code"] = code

        # date
        if r["adopted_date"]:
            why = _check_date(r["adopted_date"], today)
            if why:
                err("adopted_date", why)

        # weighting
        if r["weighting_pct"]:
            text = r["weighting_pct"].rstrip("%").strip()
            try:
                w = float(text)
            except ValueError:
                err("weighting_pct", f"weighting {r['weighting_pct']!r} is not a number")
            else:
                if not 0 <= w <= 100:
                    err("weighting_pct", f"weighting {w:g} is outside 0-100 (it is a percentage of the evaluation)")
                r["weighting_pct"] = f"{w:g}"

        # uses_toms, confidence: fixable, so warnings
        toms = r["uses_toms"].lower()
        toms = {"y": "yes", "true": "yes", "n": "no", "false": "no"}.get(toms, toms)
        if toms not in ("yes", "no", ""):
            warn("uses_toms", f"uses_toms {r['uses_toms']!r} is not yes/no/blank; read as blank")
            toms = ""
        r["uses_toms"] = toms
        conf = r["confidence"].lower()
        if conf not in CONFIDENCES and conf:
            warn("confidence", f"confidence {r['confidence']!r} is not high/medium/low; read as blank")
            conf = ""
        r["confidence"] = conf

        # source
        url = r["source_url"]
        if not url:
            err("source_url", "no source URL: every record must cite where it came from")
        else:
            p = urlparse(url)
            if p.scheme not in ("http", "https") or not p.netloc:
                err("source_url", f"source URL {url!r} is not an http(s) address")

        messages.extend(errs + warns)
        if not errs:
            r["_row"] = n
            keep.append(r)
    clean = pd.DataFrame(keep, columns=["_row", *COLUMNS])
    dup = clean.duplicated(subset=COLUMNS, keep="first")
    for n in clean.loc[dup, "_row"]:
        messages.append(Message(file, int(n), "", "exact duplicate of an earlier row; kept once", "warning"))
    clean = clean[~dup].drop(columns="_row").reset_index(drop=True)
    return to_schema(clean), sorted(messages, key=lambda m: (m.row, m.severity != "error"))


def to_schema(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed records: strings everywhere except weighting_pct (float, NaN when not stated)."""
    out = frame.reindex(columns=COLUMNS).copy()
    for c in COLUMNS:
        if c != "weighting_pct":
            out[c] = out[c].astype(object).fillna("").astype(str)
    out["weighting_pct"] = pd.to_numeric(out["weighting_pct"].replace("", None), errors="coerce").astype("float64")
    return out


def validate_file(path: str | Path, data: bytes | None = None, today: date | None = None
                  ) -> tuple[pd.DataFrame, list[Message]]:
    """Read and validate a file; file-level problems raise AdoptionFileError."""
    raw, read_msgs = read_records(path, data)
    clean, msgs = validate(raw, Path(path).name, today)
    return clean, read_msgs + msgs


def load_embedded(path: Path = EMBEDDED_FILE) -> pd.DataFrame:
    """The embedded, cited records, validated like an upload (so blank codes are filled from names).

    The staged column `accessed_note` is the schema's `note`.
    """
    return validate_file(path)[0]


# ------------------------------------------------------------------------------------- merge and select

def record_key(frame: pd.DataFrame) -> pd.Series:
    """A record is one council × source: gss_code (or normalised name when no code) + source URL."""
    who = frame["gss_code"].where(frame["gss_code"].ne(""), "name:" + frame["council_name"].map(_norm))
    return who + "|" + frame["source_url"].str.strip()


def editable_csv(records: pd.DataFrame) -> bytes:
    """The records in the upload's own columns as CSV: the file to edit in a spreadsheet and upload again
    (uploaded unchanged, every row merges as unchanged)."""
    from svdash.export import to_csv_bytes

    return to_csv_bytes(records[[c for c in COLUMNS if c in records.columns]])


def merge(embedded: pd.DataFrame, uploaded: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge uploaded records into the embedded ones; return (merged, diff).

    `embedded` is the current set (the embedded records, plus earlier imports when read from the store;
    an `origin` column there is carried over). diff has one row per key: `change` = added (only in the
    upload), changed (same council and source, different fields; `fields` lists old → new), unchanged,
    or kept (in the current set, not in the upload).
    A changed record takes the uploaded values, but only with the change listed in the diff, so
    nothing is overwritten silently; a blank uploaded cell keeps the current value; `origin` in the merged frame says where each row came from.
    """
    origin = embedded["origin"].fillna("embedded").to_numpy() if "origin" in embedded.columns else "embedded"
    emb = to_schema(embedded).assign(_key=lambda f: record_key(f), origin=origin)
    upl = to_schema(uploaded).assign(_key=lambda f: record_key(f))
    upl = upl.drop_duplicates("_key", keep="last")
    emb_idx = emb.drop_duplicates("_key", keep="first").set_index("_key")
    diff_rows = []
    merged_rows = []
    seen = set()
    for rec in upl.to_dict("records"):
        key = rec["_key"]
        seen.add(key)
        if key not in emb_idx.index:
            diff_rows.append({"key": key, "gss_code": rec["gss_code"], "council_name": rec["council_name"],
                              "change": "added", "fields": ""})
            merged_rows.append({**rec, "origin": "uploaded"})
            continue
        old = emb_idx.loc[key]
        # a blank uploaded cell keeps the current value (uploads often carry fewer columns)
        for c in COLUMNS:
            if _show(rec[c]) == "":
                rec[c] = old[c]
        changed = [
            f"{c}: {_show(old[c])!r} -> {_show(rec[c])!r}" for c in COLUMNS
            if _show(old[c]) != _show(rec[c])
        ]
        diff_rows.append({"key": key, "gss_code": rec["gss_code"], "council_name": rec["council_name"],
                          "change": "changed" if changed else "unchanged", "fields": "; ".join(changed)})
        merged_rows.append({**rec, "origin": "uploaded" if changed else old["origin"]})
    for rec in emb.to_dict("records"):
        if rec["_key"] in seen:
            continue
        seen.add(rec["_key"])  # an embedded duplicate key is kept once per distinct row below
        diff_rows.append({"key": rec["_key"], "gss_code": rec["gss_code"], "council_name": rec["council_name"],
                          "change": "kept", "fields": ""})
        merged_rows.append(rec)
    # embedded rows sharing a key (same council and source, two instruments) are all kept
    extra = emb[emb.duplicated("_key", keep="first") & ~emb["_key"].isin(set(upl["_key"]))]
    merged_rows += extra.to_dict("records")
    merged = pd.DataFrame(merged_rows)
    merged = to_schema(merged).assign(origin=merged["origin"].to_numpy()) if len(merged) else \
        to_schema(pd.DataFrame(columns=COLUMNS)).assign(origin=pd.Series(dtype=str))
    merged = merged.sort_values(["council_name", "adopted_date"], kind="stable").reset_index(drop=True)
    diff = pd.DataFrame(diff_rows, columns=["key", "gss_code", "council_name", "change", "fields"])
    order = {"added": 0, "changed": 1, "unchanged": 2, "kept": 3}
    diff = diff.sort_values(["change", "council_name"], key=lambda s: s.map(order) if s.name == "change" else s,
                            kind="stable").reset_index(drop=True)
    return merged, diff


def _show(v: object) -> str:
    if isinstance(v, float):
        return "" if pd.isna(v) else f"{v:g}"
    return "" if v is None else str(v)


def one_per_council(records: pd.DataFrame) -> pd.DataFrame:
    """One record per gss_code, as data/adoption SOURCES.md suggests.

    Order of preference: (1) a status other than none_found (a "no policy" statement is only used when
    it is the only evidence); (2) the latest adopted_date, undated rows last (YYYY sorts before
    YYYY-MM in the same year, i.e. the more precise date wins ties); (3) higher confidence;
    (4) the stronger instrument (policy > charter > strategy > developing). Adds n_records.
    Rows without a code are left out (they cannot be placed on the map).
    """
    recs = to_schema(records)
    recs = recs[recs["gss_code"].ne("")].copy()
    recs["_found"] = recs["status"].ne("none_found")
    recs["_dated"] = recs["adopted_date"].ne("")
    recs["_conf"] = recs["confidence"].map(_CONF_RANK).fillna(0)
    recs["_strength"] = recs["status"].map(_STATUS_RANK).fillna(0)
    counts = recs.groupby("gss_code").size().rename("n_records")
    recs = recs.sort_values(["gss_code", "_found", "_dated", "adopted_date", "_conf", "_strength"],
                            ascending=[True, False, False, False, False, False], kind="stable")
    best = recs.drop_duplicates("gss_code", keep="first").drop(columns=["_found", "_dated", "_conf", "_strength"])
    return best.join(counts, on="gss_code").reset_index(drop=True)


def period_end(value: str) -> date | None:
    """The last day a record's date can mean: 2016 → 2016-12-31, 2016-05 → 2016-05-31, a full date itself;
    None when blank or not a date. Placing a year-only or month-only date at the end of its period means a
    timeline never shows a council as adopted before its record says it was."""
    m = _DATE_RE.match(str(value or "").strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if mo is None:
            return date(y, 12, 31)
        if d is None:
            return date(y, int(mo), calendar.monthrange(y, int(mo))[1])
        return date(y, int(mo), int(d))
    except ValueError:
        return None


def first_adoption(records: pd.DataFrame) -> pd.DataFrame:
    """Per gss_code: the earliest dated record of an adopted policy, charter or strategy
    (first_adopted_date as recorded, first_adopted_on = its `period_end`, ISO). Codes with no dated
    adoption record are absent. Earliest, not the selected record's date: a timeline asks when adoption
    is first evidenced, and a later record is often a revision (caveat records_dates)."""
    recs = to_schema(records)
    recs = recs[recs["gss_code"].ne("") & recs["status"].isin(ADOPTED_STATUSES)].copy()
    recs["_end"] = recs["adopted_date"].map(period_end)
    recs = recs[recs["_end"].notna()]
    if recs.empty:
        return pd.DataFrame(columns=["gss_code", "first_adopted_date", "first_adopted_on"])
    recs = recs.sort_values(["gss_code", "_end", "adopted_date"], kind="stable").drop_duplicates("gss_code")
    return pd.DataFrame({"gss_code": recs["gss_code"].to_numpy(),
                         "first_adopted_date": recs["adopted_date"].to_numpy(),
                         "first_adopted_on": [d.isoformat() for d in recs["_end"]]})


SUMMARY_COLUMNS = ["gss_code", "council_name", "status", "policy_name", "adopted_date", "weighting_pct",
                   "uses_toms", "source_url", "source_title", "confidence", "n_records", "mapped_from",
                   "first_adopted_date", "first_adopted_on", "weighting_basis"]


def adoption_summary(records: pd.DataFrame, councils: pd.DataFrame | None = None,
                     geo_dir: Path = GEO_DIR) -> pd.DataFrame:
    """Per today's council: the selected record (gss_code, status, adopted_date, weighting_pct, uses_toms,
    source_url, n_records, mapped_from; weighting_basis: the policy weighting's kind, `svdash.policy_weighting`,
    with weighting_pct read from the record's words where the column is blank and they state one) and the earliest dated adoption among all its records
    (first_adopted_date as recorded, first_adopted_on its last possible day, "" when none is dated; see
    `first_adoption`). A retired code with exactly one successor is shown on the
    successor (mapped_from says so: e.g. Somerset County Council → Somerset Council); councils without a
    record are not listed here (unknown, not non-adopting)."""
    councils = geo.load_councils(geo_dir) if councils is None else councils
    known = set(councils["gss_code"])
    recs = to_schema(records)
    mapped_from = pd.Series("", index=recs.index, dtype=object)
    for i, code in recs["gss_code"].items():
        if code and code not in known:
            today = geo.current_codes(code, geo_dir)
            if len(today) == 1 and today[0] in known:
                recs.at[i, "gss_code"] = today[0]
                mapped_from[i] = code
    recs["mapped_from"] = mapped_from
    recs = recs[recs["gss_code"].isin(known)]
    best = one_per_council(recs.drop(columns="mapped_from")).merge(
        recs[["gss_code", "source_url", "mapped_from"]].drop_duplicates(["gss_code", "source_url"]),
        on=["gss_code", "source_url"], how="left")
    first = first_adoption(recs.drop(columns="mapped_from"))
    best = best.merge(first, on="gss_code", how="left")
    best[["first_adopted_date", "first_adopted_on"]] = best[["first_adopted_date", "first_adopted_on"]] \
        .astype(object).fillna("").astype(str)
    best = policy_weighting.with_policy_weighting(best)  # the policy's weighting, as its own words state it
    return best[SUMMARY_COLUMNS].assign(mapped_from=lambda f: f["mapped_from"].fillna(""))


# ------------------------------------------------------------------------------------- national context

SURVEY_CAVEATS = [
    "Surveys and svdash use different methods, populations and dates; figures sit side by side, not on one trend line.",
    "Several surveys cover England with Wales (and Northern Ireland), or mix councils with housing associations.",
    "Figures reported as 'less than', 'over' or 'about' are entered as the number; the measure text names the bound.",
    "svdash's adoption share counts councils with a found record saying adopted, out of all councils: a lower bound, "
    "because a council without a record is unknown, not non-adopting.",
]


def national_surveys(path: Path = SURVEYS_FILE) -> pd.DataFrame:
    """Published national survey figures (see data/SOURCES.md), with a `comparable_measure` column naming
    the svdash measure they can be set beside ('' when none)."""
    s = pd.read_csv(path, dtype={"year": "int64", "value_pct": "float64"}, keep_default_na=False)
    m = s["measure"].str.lower()
    policy = m.str.contains("policy") & ~m.str.contains(r"\bno\b|still developing") & m.str.startswith(
        ("share with", "share of respondents with", "estimated share with"))
    s["comparable_measure"] = ""
    s.loc[policy, "comparable_measure"] = "adoption_recorded_share"
    return s


def national_comparison(measure_values: pd.DataFrame, surveys: pd.DataFrame | None = None) -> pd.DataFrame:
    """The surveys' "share with a policy" figures beside svdash's England figure for the comparable measure.

    svdash_pct is the England `all`-period value of that measure (share of all English councils whose
    selected record says a policy, charter or strategy is adopted) with its CI; caveat explains the gap.
    """
    surveys = national_surveys() if surveys is None else surveys
    comp = surveys[surveys["comparable_measure"].ne("")].copy()
    eng = measure_values[measure_values["level"].eq("england") & measure_values["period_type"].eq("all")]
    eng = eng.set_index("measure_id")
    def pick(mid: str, col: str) -> float:
        return float(eng.at[mid, col]) * (100 if col in ("value", "ci_low", "ci_high") else 1) \
            if mid in eng.index else float("nan")
    comp["svdash_pct"] = comp["comparable_measure"].map(lambda m: pick(m, "value"))
    comp["svdash_ci_low_pct"] = comp["comparable_measure"].map(lambda m: pick(m, "ci_low"))
    comp["svdash_ci_high_pct"] = comp["comparable_measure"].map(lambda m: pick(m, "ci_high"))
    comp["svdash_numerator"] = comp["comparable_measure"].map(lambda m: pick(m, "numerator"))
    comp["svdash_denominator"] = comp["comparable_measure"].map(lambda m: pick(m, "denominator"))
    comp["caveat"] = ("Different method and date: the survey asked or FOI'd councils in " + comp["year"].astype(str)
                      + " (" + comp["population"] + "); svdash counts cited records found, out of all 317 English "
                      "councils, so it is a lower bound.")
    cols = ["survey", "publisher", "year", "population", "measure", "value_pct", "source_url", "note",
            "comparable_measure", "svdash_pct", "svdash_ci_low_pct", "svdash_ci_high_pct", "svdash_numerator",
            "svdash_denominator", "caveat"]
    return comp[cols].reset_index(drop=True)
