"""Find a Tender (FTS) OCDS release packages API client (UK above-threshold notices since 2021, and
Procurement Act 2023 notices since 24 Feb 2025).

API documentation: https://www.find-tender.service.gov.uk/apidocumentation/1.0/GET-ocdsReleasePackages
`GET /api/1.0/ocdsReleasePackages?updatedFrom=…&updatedTo=…&stages=…&limit=100`; follow `links.next`
(it carries `cursor=`). Quirks (kingfisher-collect's united_kingdom_fts spider): one request at a time,
about 10 s between requests (429 after ~12 requests in 2 minutes), 503 when busy, and quarter-day windows
because longer windows miss releases.
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
    window=timedelta(hours=6),
    delay_s=10.0,
    limit=100,
    retry_codes=(429, 500, 502, 503, 504),
)


def ingest(con, **kwargs):
    """Fetch Find a Tender releases into the store (arguments: `svdash.sources.api.run_ingest`)."""
    return run_ingest(con, CONFIG, **kwargs)
