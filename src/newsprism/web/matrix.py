"""The coverage matrix as plain data for an HTML table that reads on a phone and on a desktop.

The old picture (outlets as rows, up to 40 numbered fact columns, drawn as an SVG) was 886 px
wide and had to shrink to fit, so its labels became unreadable. Here the long axis is the facts:
one row per fact with a short label that wraps like any text, and one narrow column per outlet
headed by a short code (the full names are in a key under the table). A story has a handful of
outlets and dozens of facts, so this shape fits 390 px without scrolling or shrinking text, and
every cell says in words (for screen readers) what its symbol shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from newsprism.model import Fact

CellState = Literal["shared", "exclusive", "disagree", "none"]
LABEL_WORDS = 9
CODE_LETTERS = 4
_STOP = frozenset(
    {"the", "a", "an", "of", "and", "&", "for", "on", "in", "de", "la", "le", "el", "die", "der"}
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class OutletColumn:
    code: str
    name: str


SYMBOLS: dict[str, str] = {"shared": "●", "exclusive": "◆", "disagree": "▲", "none": "·"}


@dataclass(frozen=True)
class MatrixCell:
    state: CellState
    note: str  # what the cell means, in words (title and screen-reader text)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]


@dataclass(frozen=True)
class MatrixRow:
    number: int
    fact_id: str
    kind: str
    label: str  # a few words, for the row header
    text: str  # the fact's first sentence in full
    cells: list[MatrixCell]


@dataclass
class CoverageMatrix:
    columns: list[OutletColumn]
    rows: list[MatrixRow]
    hidden: int = 0  # facts beyond the shown limit
    counts: dict[str, int] = field(default_factory=dict)


def short_label(text: str, words: int = LABEL_WORDS) -> str:
    """The first ``words`` words of a sentence, with an ellipsis when cut."""
    parts = text.split()
    if len(parts) <= words:
        return text.strip()
    return " ".join(parts[:words]).rstrip(",;:") + "…"


def outlet_codes(outlets: Sequence[str]) -> list[str]:
    """Short, unique codes for column heads: initials of multi-word names, else the first letters.

    "Harbour Ledger" → "HL", "Reuters" → "Reut"; clashes get a number ("HL", "HL2").
    """
    seen: dict[str, int] = {}
    codes: list[str] = []
    for name in outlets:
        words = [w for w in _WORD.findall(name) if w.casefold() not in _STOP] or _WORD.findall(name) or ["?"]
        base = "".join(w[0] for w in words)[:CODE_LETTERS] if len(words) > 1 else words[0][:CODE_LETTERS]
        base = base[:1].upper() + base[1:]
        seen[base] = seen.get(base, 0) + 1
        codes.append(base if seen[base] == 1 else f"{base}{seen[base]}")
    return codes


def _disagreeing(fact: Fact, outlet_of: Mapping[str, str]) -> dict[str, str]:
    """Outlet → the value it states, for each outlet in one of the fact's number/date disagreements."""
    out: dict[str, str] = {}
    for discrepancy in fact.discrepancies:
        for article_id, value in discrepancy.values:
            out.setdefault(outlet_of.get(article_id, "unknown outlet"), value)
    return out


def _cell(fact: Fact, outlet: str, disagree: Mapping[str, str]) -> MatrixCell:
    if outlet not in fact.outlets:
        return MatrixCell("none", f"{outlet}: not reported")
    if outlet in disagree:
        return MatrixCell("disagree", f"{outlet}: reported, but says “{disagree[outlet]}”")
    if fact.kind == "consensus":
        return MatrixCell("shared", f"{outlet}: reported (shared)")
    return MatrixCell("exclusive", f"{outlet}: reported (only this outlet)")


def coverage_matrix(
    facts: Sequence[Fact], outlets: Sequence[str], outlet_of: Mapping[str, str], *, max_facts: int = 40
) -> CoverageMatrix:
    """Facts as rows (shared first, as the comparison lists them), outlets as coded columns."""
    shown = list(facts[:max_facts])
    columns = [OutletColumn(c, n) for c, n in zip(outlet_codes(outlets), outlets, strict=True)]
    rows: list[MatrixRow] = []
    counts = {"shared": 0, "exclusive": 0, "disagree": 0}
    for number, fact in enumerate(shown, start=1):
        text = fact.sentences[0].text if fact.sentences else fact.id
        disagree = _disagreeing(fact, outlet_of)
        cells = [_cell(fact, outlet, disagree) for outlet in outlets]
        for cell in cells:
            if cell.state != "none":
                counts[cell.state] += 1
        rows.append(MatrixRow(number, fact.id, fact.kind, short_label(text), text, cells))
    return CoverageMatrix(columns, rows, max(0, len(facts) - len(shown)), counts)


LEGEND = Markup(
    '<p class="legend" data-testid="matrix-legend">'
    '<span class="mk shared" aria-hidden="true">●</span> shared: 2+ outlets report it · '
    '<span class="mk exclusive" aria-hidden="true">◆</span> exclusive: one outlet only · '
    '<span class="mk disagree" aria-hidden="true">▲</span> disagreement: a different number or date</p>'
)


def render_matrix(matrix: CoverageMatrix, badge: Callable[[str], Markup]) -> Markup:
    """The matrix section as HTML (every text escaped), built in Python rather than a template loop:
    a story page has up to 40 × outlets cells, and this markup is cached by the matrix's shape."""
    heads = "".join(
        f'<th scope="col" class="oc"><abbr title="{escape(c.name)}">{escape(c.code)}</abbr></th>'
        for c in matrix.columns
    )
    rows = []
    for r in matrix.rows:
        cells = "".join(
            f'<td class="cell {c.state}" title="{escape(c.note)}"><span aria-hidden="true">{c.symbol}</span>'
            f'<span class="sr-only">{escape(c.note)}</span></td>'
            for c in r.cells
        )
        rows.append(
            f'<tr class="row-{escape(r.kind)}"><th scope="row" class="fact-label" title="{escape(r.text)}">'
            f'<span class="fn">{r.number}</span> {escape(r.label)}</th>{cells}</tr>'
        )
    hidden = (
        f'<p class="muted small">{matrix.hidden} more fact{"s" if matrix.hidden != 1 else ""} not shown.</p>'
        if matrix.hidden
        else ""
    )
    key = "".join(f"<div><dt>{escape(c.code)}</dt><dd>{badge(c.name)}</dd></div>" for c in matrix.columns)
    return Markup(
        '<section class="matrix-box" aria-labelledby="cov-heading">'
        '<h3 id="cov-heading">Who reported what</h3>'
        f"{LEGEND}"
        '<table class="matrix" data-testid="coverage-matrix">'
        '<caption class="sr-only">Which outlet reported each fact; '
        "rows are facts, columns are outlets.</caption>"
        f'<thead><tr><th scope="col" class="fact-head">Fact</th>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{hidden}"
        f'<dl class="matrix-key" aria-label="Outlet codes">{key}</dl></section>'
    )
