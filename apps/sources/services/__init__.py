"""Services of the sources app: everything that writes across models or reaches the network."""

from apps.sources.services.claims import (
    claim_due_sources,
    claim_source,
    release_claim,
    release_claims,
)
from apps.sources.services.extraction import Extraction, extract_article
from apps.sources.services.fetching import (
    FetchResult,
    fetch_source,
    record_overrun,
    store_entries,
)
from apps.sources.services.pipeline import IngestReport, ingest, stuck_article_ids
from apps.sources.services.sources import OpmlImport, add_source, export_opml, import_opml

__all__ = [
    "Extraction",
    "FetchResult",
    "IngestReport",
    "OpmlImport",
    "add_source",
    "claim_due_sources",
    "claim_source",
    "export_opml",
    "extract_article",
    "fetch_source",
    "import_opml",
    "ingest",
    "record_overrun",
    "release_claim",
    "release_claims",
    "store_entries",
    "stuck_article_ids",
]
