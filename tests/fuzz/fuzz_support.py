"""Hypothesis profiles for the fuzz suite: a short one for CI, a long one on demand.

    .venv/bin/pytest -q tests/fuzz                                   # CI: well under 60 s
    NEWSPRISM_FUZZ_PROFILE=long .venv/bin/pytest -q tests/fuzz -n 2  # ~50x the examples

The profile is applied per test (``FUZZ``), not globally, so other property tests keep theirs.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)
PROFILE = os.environ.get("NEWSPRISM_FUZZ_PROFILE", "ci")
FUZZ = settings(parent=settings.get_profile(PROFILE))
