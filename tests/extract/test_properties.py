"""Property tests: extraction never raises, and the text path never invents body text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.extract import extract
from newsprism.model import Article, ExtractionFailure, Page

LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "Advertisement",
            "Read more",
            "2 min read",
            "• a bullet point of a summary",
            "Jane Roe works as a reporter at the Daily Planet.",
            "The council voted on Tuesday to expand the tram network into the north.",
            "Supporters said the new line would cut commuting times for thousands of people.",
            "(This story is published from a syndicated feed.)",
            "",
        ]
    ),
)
PAGES = st.lists(LINE, max_size=40).map("\n".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["html", "text"]))
def test_never_raises_on_bytes(data: bytes, kind: str) -> None:
    result = extract(Page("p", data, kind))  # type: ignore[arg-type]
    assert isinstance(result, Article | ExtractionFailure)
    assert not _internal_error(result)


@FAST
@given(st.one_of(st.text(max_size=3000), PAGES), st.sampled_from(["html", "text"]))
def test_never_raises_on_strings(text: str, kind: str) -> None:
    result = extract(Page("p", text, kind))  # type: ignore[arg-type]
    assert isinstance(result, Article | ExtractionFailure)
    if isinstance(result, ExtractionFailure):
        assert result.reason and "\n" not in result.reason
    assert not _internal_error(result)


def _internal_error(result: Article | ExtractionFailure) -> bool:
    """A failure from the catch-all: an exception inside extraction, not a verdict on the page.

    ``extract`` turns any exception into a failure so a batch survives, which would hide a
    crash from "never raises" alone (a compiled module's run-time type check, say).
    """
    return isinstance(result, ExtractionFailure) and result.reason.startswith("extraction error")


@FAST
@given(PAGES)
def test_text_body_is_exact_input_text(text: str) -> None:
    result = extract(Page("p", text, "text"))
    if isinstance(result, Article):
        for paragraph in result.body:
            assert paragraph in text
        assert all(r.text in text for r in result.removed)


@FAST
@given(st.lists(st.text(min_size=1, max_size=80), max_size=20))
def test_html_body_words_come_from_the_input(paragraphs: list[str]) -> None:
    from html import escape

    html = "<html><body><article>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html += "</article></body></html>"
    result = extract(Page("p", html, "html"))
    if isinstance(result, Article):
        source = " ".join(paragraphs).split()
        for paragraph in result.body:
            for word in paragraph.split():
                assert any(word in s for s in source)
