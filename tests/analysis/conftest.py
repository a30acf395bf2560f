"""Fixtures for analysis tests (helpers live in ``analysis_helpers.py``)."""

from __future__ import annotations

import pytest
from analysis_helpers import SeedStory, load_example_story, load_seed_story

from newsprism.model import AnnotatedArticle, Story


@pytest.fixture(scope="session")
def seed_story() -> SeedStory:
    return load_seed_story()


@pytest.fixture(scope="session")
def example_story() -> tuple[Story, list[AnnotatedArticle]]:
    return load_example_story()
