"""Contracts Finder OCDS search API client (England, below and above threshold notices since 2015).

API documentation: https://www.contractsfinder.service.gov.uk/apidocumentation/Notices/1/GET-Published-Notice-OCDS-Search
`GET /Published/Notices/OCDS/Search?publishedFrom=…&publishedTo=…&limit=100` (no `stages`: every stage); the
response is an OCDS release package whose `links.next` (pagination extension) carries a cursor for the next page.
Quirks (from kingfisher-collect's united_kingdom_contracts_finder spiders): one request at a time, 15-day
windows, 403 used as a rate-limit signal (wait 300 s), text served as ISO-8859-1 in places. Window bounds are
sent as given (no time zone conversion) and paced at one request a second.
"""
from __future__ import annotations

from datetime import timedelta

from svdash.sources.api import SourceConfig, run_ingest

CONFIG = SourceConfig(
    name="contracts-finder",
    base_url="https://www.contractsfinder.service.gov.uk",
    path="/Published/Notices/OCDS/Search",
    from_param="publishedFrom",
    to_param="publishedTo",
    doc_url="https://www.contractsfinder.service.gov.uk/apidocumentation/Notices/1/GET-Published-Notice-OCDS-Search",
    window=timedelta(days=15),
    rate_requests=1,
    rate_period_s=1.0,
    limit=100,
    retry_codes=(403, 429, 500, 502, 503, 504),
    status_waits=((403, 300.0),),
)


def ingest(con, **kwargs):
    """Fetch Contracts Finder releases into the store (arguments: `svdash.sources.api.run_ingest`)."""
    return run_ingest(con, CONFIG, **kwargs)
