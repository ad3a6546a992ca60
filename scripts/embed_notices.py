"""Copy the embedded notice snapshot from ../shared/data/notices into data/notices/ without officers' contact details.

Provenance: ../shared/data/notices/SOURCES.md (one section per folder below). Each file is copied as published
except that every `contactPoint` object and `additionalContactPoints` list (procurement officers' names, emails
and phone numbers) is removed by `svdash.privacy.redact_text`, which edits the text so everything else, including
the bare `1e9999` numbers Find a Tender writes for "no limit", stays byte for byte, and checks the result.
Run: python scripts/embed_notices.py   (`--in-place FILE...` redacts test fixtures cut from the same notices).
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from svdash.privacy import redact_text  # noqa: E402

SOURCE = REPO.parent / "shared" / "data" / "notices"
TARGET = REPO / "data" / "notices"
FOLDERS = ("contracts_finder_2022", "contracts_finder_2025", "public_contracts_scotland_2019", "sell2wales",
           "find_a_tender_2026-08")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--in-place"]:
        jobs = [(Path(f), Path(f)) for f in argv[1:]]
    else:
        pages = sorted(p for folder in FOLDERS for p in (SOURCE / folder).rglob("*.json"))
        if not pages:
            print(f"no notices under {SOURCE}", file=sys.stderr)
            return 2
        jobs = [(page, TARGET / page.relative_to(SOURCE)) for page in pages]
    for source, out in jobs:
        text = source.read_text(encoding="utf-8")
        try:
            redacted = redact_text(text, str(source))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(redacted, encoding="utf-8")
        print(f"{out}: {len(text):,} → {len(redacted):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
