"""Find a Tender (FTS) OCDS release packages API client (UK above-threshold notices since 2021, and every
Procurement Act 2023 notice since 24 Feb 2025).

API documentation: https://www.find-tender.service.gov.uk/apidocumentation/1.0/GET-ocdsReleasePackages
`GET /api/1.0/ocdsReleasePackages?updatedFrom=…&updatedTo=…&limit=100`, then follow `links.next` (it carries
`cursor=`). How the live API behaves (recorded responses in ../shared/data/notices/find_a_tender_2026-08 and
public write-ups of it, 2026):
- `updatedFrom`/`updatedTo` are Europe/London wall-clock times, exactly `YYYY-MM-DDTHH:MM:SS`: a trailing `Z`
  is accepted but ignored (a UTC window would be an hour off in summer) and a bare date is a 400. svdash
  fetches whole London days, midnight to midnight (23 hours on the spring change, 25 in autumn).
- `stages` is never sent: with it the API silently returns only PCR 2015 notices, none under the Procurement Act.
- `limit` is at most 100. The last page of a window has no `links` key. The same release can come twice in
  one walk (counted once; the store upsert is idempotent).
- At most 12 requests in 120 s; the 13th gets a 429 with a plain-text body ("Rate limit of 12 exceeded…")
  and `Retry-After: 120`, which is honoured. 503 when busy.
- Bare `1e9999` numbers mean "no limit" (read as null, `svdash.sources.nonfinite`).
"""
from __future__ import annotations

from datetime import timedelta

from svdash.sources.api import SourceConfig, run_ingest

CONFIG = SourceConfig(
    name="find-a-tender",
    base_url="https://www.find-tender.service.gov.uk",
    path="/api/1.0/ocdsReleasePackages",
    from_param="updatedFrom",
    to_param="updatedTo",
    doc_url="https://www.find-tender.service.gov.uk/apidocumentation/1.0/GET-ocdsReleasePackages",
    window=timedelta(days=1),
    rate_requests=12,
    rate_period_s=120.0,
    timezone="Europe/London",
    limit=100,
    retry_codes=(429, 500, 502, 503, 504),
)


def ingest(con, **kwargs):
    """Fetch Find a Tender releases into the store (arguments: `svdash.sources.api.run_ingest`)."""
    return run_ingest(con, CONFIG, **kwargs)
