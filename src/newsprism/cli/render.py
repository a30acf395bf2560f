"""Rich renderings for the terminal: stories, Quick Reads and the coverage comparison.

Article text is untrusted; everything printed goes through ``Text`` objects (never markup
strings), so a page cannot inject Rich markup into the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsprism.model import Analysis, Article, Story, quick_read_label
from newsprism.store.repository import StorySummary

_BADGE_STYLES = [
    "bold white on blue",
    "bold white on dark_green",
    "bold white on magenta",
    "bold black on yellow",
    "bold white on red",
    "bold black on cyan",
]


def _badge_style(outlet: str, outlets: Sequence[str]) -> str:
    index = outlets.index(outlet) if outlet in outlets else len(outlets)
    return _BADGE_STYLES[index % len(_BADGE_STYLES)]


def _badges(outlets: Sequence[str], palette: Sequence[str]) -> Text:
    text = Text()
    for outlet in outlets:
        text.append(f" {outlet} ", style=_badge_style(outlet, palette))
        text.append(" ")
    return text


def article(console: Console, item: Article) -> None:
    meta = Text()
    meta.append(item.outlet or "unknown outlet", style="bold")
    if item.authors:
        meta.append(" · " + ", ".join(item.authors))
    if item.published_at:
        meta.append(" · " + item.published_at.date().isoformat())
    meta.append(f" · {item.read_time_minutes} min read")
    if item.syndicated:
        meta.append(f" · syndicated ({item.agency or 'wire'})", style="yellow")
    body = Text("\n\n".join(item.body))
    console.print(
        Panel(
            Group(meta, Text(""), body),
            title=Text(item.title, style="bold"),
            subtitle=Text(
                f"{item.word_count} words · {len(item.removed)} furniture lines removed", style="dim"
            ),
        )
    )


def story_table(console: Console, rows: Sequence[StorySummary]) -> None:
    if not rows:
        console.print("No stories yet. Try `newsprism demo` or `newsprism ingest PATH`.")
        return
    table = Table(title="Stories", show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("headline")
    table.add_column("outlets")
    table.add_column("articles", justify="right")
    table.add_column("updated", no_wrap=True)
    for row in rows:
        story = row.story
        updated = story.last_updated.date().isoformat() if story.last_updated else "-"
        table.add_row(
            story.id, Text(story.headline), Text(", ".join(story.outlets)), str(row.article_count), updated
        )
    console.print(table)


def story(console: Console, item: Story, articles: Sequence[Article], analysis: Analysis | None) -> None:
    outlets = list(dict.fromkeys(a.outlet or "?" for a in articles))
    head = Text(item.headline, style="bold")
    head.append(f"\n{item.id} · {len(articles)} article(s) · ", style="dim")
    head.append_text(_badges(outlets, outlets))
    console.rule()
    console.print(head)
    _articles_table(console, articles, outlets)
    if analysis is None:
        console.print("[dim](no analysis yet)[/]")
        return
    _quick_read(console, analysis, outlets)
    _facts_table(console, analysis, articles, outlets)
    _quotes(console, analysis, articles)
    _discrepancies(console, analysis, articles)
    _framing(console, analysis, outlets)


def _articles_table(console: Console, articles: Sequence[Article], outlets: list[str]) -> None:
    table = Table(show_header=True, header_style="dim", box=None, pad_edge=False)
    for name in ("outlet", "title", "author", "published", "read", "syndication"):
        table.add_column(name)
    for a in articles:
        table.add_row(
            _badges([a.outlet or "?"], outlets),
            Text(a.title),
            Text(", ".join(a.authors)),
            a.published_at.date().isoformat() if a.published_at else "-",
            f"{a.read_time_minutes} min",
            Text(f"copy ({a.agency or 'wire'})" if a.syndicated else "", style="yellow"),
        )
    console.print(table)


def _quick_read(console: Console, analysis: Analysis, outlets: list[str]) -> None:
    qr = analysis.quick_read
    lines = []
    for bullet in qr.bullets:
        line = Text("• ")
        line.append(bullet.text)
        line.append("  ")
        line.append_text(_badges(bullet.outlets, outlets))
        lines.append(line)
    label = Text(
        f"Summary is {quick_read_label(qr.status)} · {qr.method} · v{qr.version}", style="italic dim"
    )
    console.print(Panel(Group(*lines, Text(""), label), title="Quick Read", border_style="cyan"))


def _outlet_of(articles: Sequence[Article]) -> dict[str, str]:
    return {a.id: a.outlet or "?" for a in articles}


def _facts_table(
    console: Console, analysis: Analysis, articles: Sequence[Article], outlets: list[str]
) -> None:
    if not analysis.facts:
        return
    table = Table(title="Coverage: shared and exclusive facts", show_lines=True)
    table.add_column("fact", no_wrap=True)
    table.add_column("kind")
    table.add_column("outlets")
    table.add_column("what each says")
    outlet_of = _outlet_of(articles)
    for fact in analysis.facts:
        said = Text()
        for ref in fact.sentences:
            said.append(f"{outlet_of.get(ref.article_id, '?')}: ", style="bold")
            said.append(ref.text + "\n")
        kind_style = "green" if fact.kind == "consensus" else "yellow"
        table.add_row(fact.id, Text(fact.kind, style=kind_style), _badges(fact.outlets, outlets), said)
    console.print(table)


def _quotes(console: Console, analysis: Analysis, articles: Sequence[Article]) -> None:
    groups = [q for q in analysis.quotes if len(q.variants) > 1]
    if not groups:
        return
    outlet_of = _outlet_of(articles)
    table = Table(title="Same quote, different wordings", show_lines=True)
    table.add_column("speaker")
    table.add_column("wordings")
    for group in groups:
        words = Text()
        for quote in group.variants:
            words.append(f"{outlet_of.get(quote.article_id, '?')}: ", style="bold")
            words.append(f"“{quote.text}”\n")
        table.add_row(Text(group.speaker or "unknown"), words)
    console.print(table)


def _discrepancies(console: Console, analysis: Analysis, articles: Sequence[Article]) -> None:
    if not analysis.discrepancies:
        return
    outlet_of = _outlet_of(articles)
    table = Table(title="Numbers and dates that disagree", show_lines=True)
    table.add_column("fact")
    table.add_column("kind")
    table.add_column("values")
    for d in analysis.discrepancies:
        values = Text("; ".join(f"{outlet_of.get(a, '?')}: {v}" for a, v in d.values))
        table.add_row(d.fact_id, d.kind, values)
    console.print(table)


def _framing(console: Console, analysis: Analysis, outlets: list[str]) -> None:
    if not analysis.framing:
        return
    table = Table(title="Framing: words each outlet uses that the others do not")
    table.add_column("outlet")
    table.add_column("distinctive words (★ = in the loaded-terms lexicon)")
    for outlet, terms in analysis.framing.items():
        words = ", ".join(f"{t.term}{' ★' if t.loaded else ''}" for t in terms[:10])
        table.add_row(_badges([outlet], outlets), Text(words))
    console.print(table)
