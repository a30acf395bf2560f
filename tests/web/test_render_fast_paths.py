"""The story page's fast paths give exactly what the slower, general code gives."""

from __future__ import annotations

from web_helpers import World

from newsprism.store import repository
from newsprism.web import filters
from newsprism.web.app import _templates


def test_direct_sqlite_reads_match_sqlalchemy(world: World) -> None:
    repo = world.repo
    if repo._direct is None:  # PostgreSQL runs the SQLAlchemy statements only
        return
    story_q, articles_q, analysis_q, stamp_q, listing_q = repo._direct
    raw = repo.engine.raw_connection()
    try:
        with repo.engine.connect() as conn:
            for sid in ["s-strike", "no-such-story"]:
                pairs = [
                    (
                        story_q.first(raw.driver_connection, sid),
                        conn.execute(repository._STORY_ROW, {"story_id": sid}).first(),
                    ),
                    (
                        analysis_q.first(raw.driver_connection, sid),
                        conn.execute(repository._ANALYSIS, {"story_id": sid}).first(),
                    ),
                    (
                        stamp_q.first(raw.driver_connection, sid),
                        conn.execute(repository._STAMP, {"story_id": sid}).first(),
                    ),
                ]
                for fast, slow in pairs:
                    assert (None if fast is None else tuple(fast)) == (None if slow is None else tuple(slow))
                for fast_q, slow_q in ((articles_q, repository._ARTICLES), (listing_q, repository._LISTING)):
                    fast_rows = fast_q.all(raw.driver_connection, sid)
                    slow_rows = conn.execute(slow_q, {"story_id": sid}).all()
                    assert [tuple(r) for r in fast_rows] == [tuple(r) for r in slow_rows]
    finally:
        raw.close()


def test_badges_and_ext_link_render_like_the_template_versions() -> None:
    env = _templates().env
    macros = env.get_template("_macros.html").module
    loop = env.from_string("{% for o in outlets %}{{ badge(o) }} {% endfor %}")
    for outlets in [[], ["Daily Quay"], ["A & B", "<script>", "Daily Quay"]]:
        assert str(filters.badges(outlets)) == loop.render(outlets=outlets)
    for url in [None, "", "javascript:alert(1)", 'https://x.example/a?b=1&c="<>', "http://ok.example/"]:
        for text in ["original", 'a<b>&"']:
            assert str(filters.ext_link(url, text)) == str(macros.ext_link(url, text))  # type: ignore[attr-defined]
