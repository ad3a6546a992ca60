"""Numbers JSON cannot hold, read as null on every reader path.

Find a Tender writes "no limit" as a bare `1e9999` (`"maximumLotsBidPerSupplier": 1e9999`), a number no double
holds; other publishers' tools write `NaN`, `Infinity` or `-Infinity`, which are not JSON at all. Strict parsers
refuse them (ijson's yajl: "numeric (floating point) overflow", orjson: "number is infinity"), and ijson then
loses the rest of the document; Python's json module accepts them as float inf/nan, which the store's canonical
JSON would write back as invalid JSON. svdash reads every such token OUTSIDE a string as null (None), whichever
path reads it, so the release is kept, its canonical JSON is valid and its content_sha1 is the same on every
path; the same text inside a string ("durationInDays": "1e9999") is data and stays as published.

Three mechanisms, one meaning:
- the json module (JSON Lines, API pages): `loads`/`JSON_HOOKS` turn a non-finite float and the three
  constants into None (the hooks cost nothing for the integers and strings that make up OCDS);
- ijson (streamed documents): numbers are read as Decimal (`use_float=False`, no overflow possible) and
  `number_value` turns them into the same float or None the json module gives;
- `NonFiniteAsNull`: a byte stream that rewrites NaN/Infinity/-Infinity outside strings to `null`, for ijson,
  which cannot read them at all; used only to re-read a document whose first read failed near such a token.
"""
from __future__ import annotations

import io
import json
import math
import re
from decimal import Decimal
from typing import IO, Any


def finite_float(text: str) -> float | None:
    """json `parse_float` hook: the float, or None when it overflows (1e9999, -1e400)."""
    value = float(text)
    return value if math.isfinite(value) else None


def constant_as_null(_name: str) -> None:
    """json `parse_constant` hook: NaN, Infinity and -Infinity read as None."""
    return None


JSON_HOOKS = {"parse_float": finite_float, "parse_constant": constant_as_null}


def loads(data: str | bytes | bytearray) -> Any:
    """`json.loads` with non-finite numbers read as None."""
    return json.loads(data, **JSON_HOOKS)


def number_value(value: object) -> object:
    """An ijson number read with `use_float=False` → what `loads` gives for the same token: ints stay ints,
    decimals become the (correctly rounded) float, or None when no double holds them."""
    if type(value) is Decimal:
        number = float(value)
        return number if math.isfinite(number) else None
    return value


# Outside strings the only letters JSON allows are those of true/false/null, so these tokens cannot be part of
# anything else; a quote switches to string mode, where nothing is rewritten.
_OUTSIDE = re.compile(rb'"|-?Infinity|NaN')
_STRING_BODY = re.compile(rb'(?:[^"\\]++|\\.)*+', re.DOTALL)  # up to the closing quote or a trailing backslash
_DELIMITERS = b' \t\r\n,:[]{}'
_CHUNK = 1 << 16


class NonFiniteAsNull(io.RawIOBase):
    """Wraps a binary stream of JSON text; reads it with every NaN, Infinity and -Infinity token outside strings
    written as `null` (same length or shorter; nothing else changes). Tracks string and escape state across
    reads, and only rewrites tokens that end at a delimiter inside the data read so far, so a token split
    between two reads is rewritten whole. `replaced` counts the tokens rewritten."""

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self._pending = b""   # read but not yet rewritten (an unfinished token, escape or tail)
        self._ready = b""     # rewritten, not yet returned
        self._in_string = False
        self._eof = False
        self.replaced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self._ready) < len(buffer) and not self._eof:
            chunk = self._raw.read(_CHUNK)
            self._eof = not chunk
            self._rewrite(self._pending + chunk, final=self._eof)
        n = min(len(buffer), len(self._ready))
        buffer[:n], self._ready = self._ready[:n], self._ready[n:]
        return n

    def _rewrite(self, data: bytes, final: bool) -> None:
        # Outside strings, only text up to the last delimiter is certainly whole; the rest waits for more data.
        limit = len(data) if final else max(data.rfind(bytes([d])) for d in _DELIMITERS) + 1
        out: list[bytes] = []
        pos, end = 0, len(data)
        while pos < end:
            if self._in_string:
                stop = _STRING_BODY.match(data, pos).end()
                if stop < end and data[stop] == 0x22:  # the closing quote
                    out.append(data[pos:stop + 1])
                    pos, self._in_string = stop + 1, False
                    continue
                if stop < end and not final:  # a backslash whose escaped byte is not read yet
                    out.append(data[pos:stop])
                    pos = stop
                    break
                out.append(data[pos:])
                pos = end
                break
            match = _OUTSIDE.search(data, pos, max(limit, pos))
            if match is None:
                stop = max(limit, pos)
                out.append(data[pos:stop])
                pos = stop
                break
            out.append(data[pos:match.start()])
            if match.group() == b'"':
                out.append(b'"')
                self._in_string = True
            else:
                out.append(b"null")
                self.replaced += 1
            pos = match.end()
        self._ready += b"".join(out)
        self._pending = data[pos:]
        if final and self._pending:
            self._ready += self._pending
            self._pending = b""
