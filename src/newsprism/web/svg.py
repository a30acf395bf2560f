"""The coverage matrix (outlet × fact) as a small, accessible SVG rendered on the server.

Built as a string with every piece of text escaped, so it needs no JavaScript and no chart
library, and it can be inlined in the story page or served on its own.
"""

from __future__ import annotations

from html import escape

from newsprism.model import Fact

CELL = 22
LABEL_W = 150
HEAD_H = 34


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def coverage_matrix(facts: list[Fact], outlets: list[str], *, max_facts: int = 40) -> str:
    """Rows are outlets, columns are facts; a filled dot means the outlet reported the fact.

    Consensus facts (2+ outlets) are drawn in the accent colour, exclusives in amber, so the
    shared core and each outlet's exclusive reporting stand out at a glance.
    """
    shown = facts[:max_facts]
    width = LABEL_W + CELL * max(len(shown), 1) + 10
    height = HEAD_H + CELL * max(len(outlets), 1) + 10
    title = f"Coverage: which of {len(outlets)} outlets reported each of {len(shown)} facts"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coverage" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-labelledby="cov-title">',
        f'<title id="cov-title">{escape(title)}</title>',
    ]
    for col in range(len(shown)):
        x = LABEL_W + col * CELL + CELL // 2
        parts.append(f'<text x="{x}" y="{HEAD_H - 8}" text-anchor="middle" class="cov-head">{col + 1}</text>')
    for row, outlet in enumerate(outlets):
        y = HEAD_H + row * CELL
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + CELL * 0.68:.0f}" text-anchor="end" class="cov-outlet">'
            f"{escape(_short(outlet, 22))}</text>"
        )
        for col, fact in enumerate(shown):
            cx, cy = LABEL_W + col * CELL + CELL // 2, y + CELL // 2
            has = outlet in fact.outlets
            kind = "consensus" if fact.kind == "consensus" else "exclusive"
            state = "reported" if has else "not reported"
            cls = f"cov-dot cov-{kind}" if has else "cov-empty"
            radius = 7 if has else 3
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="{radius}" class="{cls}">'
                f"<title>{escape(outlet)} · fact {col + 1} ({kind}): {state}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
