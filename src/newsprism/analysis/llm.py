"""Optional model-assisted Quick Read through an OpenAI-compatible ``/chat/completions``.

The model only rewrites: it gets numbered facts with their source sentences and must answer
JSON ``{"bullets": [{"text": ..., "fact_ids": [...]}]}``. Each bullet is cited with the source
sentences of the facts it names and must pass ``check_bullet``; a bullet that fails (or names
unknown facts) is dropped and the extractive bullet for that fact takes its place. Any transport
or format error falls back to the extractive Quick Read: the operator's endpoint being down must
never block a story.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from newsprism.analysis.grounding import check_bullet
from newsprism.model import Bullet, Citation, Fact

SYSTEM = (
    "You write a neutral Quick Read of a news story for a newsroom. Use only the facts given. "
    "Write 3 to 5 bullets of at most 30 words each, most-supported facts first. Every name, "
    "number, date and quote must appear in the cited facts' sentences. Answer only JSON: "
    '{"bullets": [{"text": "...", "fact_ids": ["f1"]}]}'
)


@dataclass(frozen=True)
class ModelBullet:
    text: str
    fact_ids: list[str]


def build_messages(facts: list[Fact], limit: int = 12) -> list[dict[str, str]]:
    """Prompt: the top facts, each with its outlets and source sentences."""
    lines = []
    for fact in facts[:limit]:
        sources = " | ".join(ref.text for ref in fact.sentences[:3])
        lines.append(f"{fact.id} [{fact.kind}; {', '.join(fact.outlets)}]: {sources}")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


def request_bullets(
    base_url: str, api_key: str | None, model: str, facts: list[Fact], timeout: float = 30.0
) -> list[ModelBullet]:
    """Call the endpoint and parse its bullets; raises on transport or format errors."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    payload = {"model": model, "messages": build_messages(facts), "temperature": 0}
    url = base_url.rstrip("/") + "/chat/completions"
    response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
    response.raise_for_status()
    content = response.json()["choices"][0]["message"]["content"]
    return parse_bullets(content)


def parse_bullets(content: str) -> list[ModelBullet]:
    """The JSON object in the reply (tolerating code fences around it)."""
    match = re.search(r"\{.*\}", content, re.DOTALL)
    data: Any = json.loads(match.group() if match else content)
    out: list[ModelBullet] = []
    for item in data.get("bullets", []):
        text = str(item.get("text", "")).strip()
        ids = [str(i) for i in item.get("fact_ids", [])]
        if text and ids:
            out.append(ModelBullet(text, ids))
    return out


def ground_model_bullet(item: ModelBullet, facts: dict[str, Fact], max_words: int) -> Bullet | None:
    """A cited Bullet if the model's text is grounded in its facts' sentences, else None."""
    known = [facts[f] for f in item.fact_ids if f in facts]
    if not known or len(known) != len(item.fact_ids) or len(item.text.split()) > max_words:
        return None
    cites = list(dict.fromkeys(Citation(r.article_id, r.text) for fact in known for r in fact.sentences))
    if check_bullet(item.text, cites):
        return None
    outlets = list(dict.fromkeys(o for fact in known for o in fact.outlets))
    return Bullet(item.text, cites, [f.id for f in known], outlets)
