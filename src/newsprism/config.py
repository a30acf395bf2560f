"""Settings from the environment, with defaults that work on a laptop with nothing configured."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path("newsprism-data")


def default_database_url() -> str:
    """SQLite file under ./newsprism-data/ unless NEWSPRISM_DATABASE_URL says otherwise."""
    return os.environ.get("NEWSPRISM_DATABASE_URL") or (f"sqlite:///{DEFAULT_DATA_DIR / 'newsprism.db'}")


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    # batches at least this large are extracted on Dask instead of in-process
    dask_threshold: int = int(os.environ.get("NEWSPRISM_DASK_THRESHOLD", "200"))
    dask_scheduler: str | None = os.environ.get("NEWSPRISM_DASK_SCHEDULER") or None
    max_page_bytes: int = int(os.environ.get("NEWSPRISM_MAX_PAGE_BYTES", str(5_000_000)))
    # analysis reads at most this many characters of one article's body (whole paragraphs;
    # the stored article stays whole): bounds the cost of one odd, huge page
    analysis_max_chars: int = int(os.environ.get("NEWSPRISM_ANALYSIS_MAX_CHARS", str(100_000)))
    # optional model-assisted Quick Read: any OpenAI-compatible /chat/completions endpoint
    llm_base_url: str | None = os.environ.get("NEWSPRISM_LLM_BASE_URL") or None
    llm_api_key: str | None = os.environ.get("NEWSPRISM_LLM_API_KEY") or None
    llm_model: str | None = os.environ.get("NEWSPRISM_LLM_MODEL") or None
    # "single": an editor's edit is published at once; "two-editor": a second editor approves it
    review_policy: str = field(default_factory=lambda: os.environ.get("NEWSPRISM_REVIEW_POLICY", "single"))
