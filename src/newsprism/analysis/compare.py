"""What the coverage agrees and disagrees on: quote variants and number/date discrepancies.

Quotes: translations and transcriptions of one statement differ ("it is probably more accurate
to talk about a pause" / "it's more accurate to say there is a pause"), so two quotes are one
statement when their speakers match (same surname) and most concepts of the shorter quote occur
in the longer one. Discrepancies are only looked for inside one fact's aligned clauses, so two
different events' numbers in one long sentence are never compared.
"""

from __future__ import annotations

from collections import defaultdict

from newsprism.analysis.counts import noun_class
from newsprism.analysis.facts import FactGroup
from newsprism.analysis.paraphrase import concepts
from newsprism.analysis.quantities import dates_overlap, figures_agree
from newsprism.model import AnnotatedArticle, Discrepancy, NumberMention, Quote, QuoteVariants


def _surname(speaker: str | None) -> str:
    return speaker.split()[-1].casefold() if speaker else ""


def same_statement(a: Quote, b: Quote, threshold: float = 0.5) -> bool:
    """Same speaker (or one unattributed) and the shorter quote's concepts mostly found in
    the longer; an unattributed quote needs a closer match, since only its words vouch."""
    if a.speaker and b.speaker and _surname(a.speaker) != _surname(b.speaker):
        return False
    if not a.speaker and not b.speaker:
        return False
    needed = threshold if a.speaker and b.speaker else max(threshold, 0.6)
    ca, cb = set(concepts(a.text)), set(concepts(b.text))
    small = min(len(ca), len(cb))
    return small >= 2 and len(ca & cb) / small >= needed


def quote_variants(articles: list[AnnotatedArticle], voices: dict[str, str]) -> list[QuoteVariants]:
    """Quotes grouped into statements; statements quoted by several voices come first."""
    groups: list[list[Quote]] = []
    for annotated in articles:
        for quote in annotated.quotes:
            home = next((g for g in groups if any(same_statement(quote, q) for q in g)), None)
            if home is None:
                groups.append([quote])
            else:
                home.append(quote)
    result = [QuoteVariants(_best_speaker(g), g) for g in groups]
    result.sort(key=lambda qv: -len({voices[q.article_id] for q in qv.variants}))
    return result


def _best_speaker(quotes: list[Quote]) -> str | None:
    names = [q.speaker for q in quotes if q.speaker]
    return max(names, key=len) if names else None


def _mentions(
    group: FactGroup, articles: dict[str, AnnotatedArticle]
) -> dict[str, list[tuple[str, NumberMention]]]:
    """Voice -> (article id, mention) for mentions inside the fact's aligned clauses."""
    found: dict[str, list[tuple[str, NumberMention]]] = defaultdict(list)
    for unit in group.units:
        for mention in articles[unit.article_id].numbers:
            if mention.sentence_index == unit.sentence.index and mention.text in unit.text:
                found[unit.voice].append((unit.article_id, mention))
    return found


def discrepancies(fact_id: str, group: FactGroup, articles: dict[str, AnnotatedArticle]) -> list[Discrepancy]:
    """Counts with the same unit that cannot both be true; dates with no overlap."""
    by_voice = _mentions(group, articles)
    voices = list(by_voice)
    # what each mention counts ("date", a noun concept, or None: not comparable)
    keyed = {v: [(aid, m, _key(m)) for aid, m in ms] for v, ms in by_voice.items()}
    single = {v: sum(k == "date" for _, _, k in ms) == 1 for v, ms in keyed.items()}
    found: list[Discrepancy] = []
    seen: set[tuple[str, str]] = set()
    for i, va in enumerate(voices):
        for vb in voices[i + 1 :]:
            for aid, ma, ka in keyed[va]:
                if ka is None or (ka == "date" and not single[va]):
                    continue
                for bid, mb, kb in keyed[vb]:
                    if kb != ka or (ka == "date" and not single[vb]):
                        continue
                    kind = _conflict(ma, mb)
                    key = (ma.text, mb.text)
                    if kind and key not in seen:
                        seen.add(key)
                        found.append(
                            Discrepancy(fact_id, kind, [(aid, ma.text), (bid, mb.text)], _note(kind, ma, mb))
                        )
    return _per_count(found, by_voice)


def _per_count(
    found: list[Discrepancy], by_voice: dict[str, list[tuple[str, NumberMention]]]
) -> list[Discrepancy]:
    """One discrepancy per counted thing, listing every voice's wording of the count (the
    outlets that agree with either side too), rather than one per disagreeing pair."""
    mentions = {m.text: m for ms in by_voice.values() for _, m in ms}
    merged: dict[str, Discrepancy] = {}
    out: list[Discrepancy] = []
    for disc in found:
        noun = noun_class(mentions[disc.values[0][1]]) if disc.kind == "number" else None
        if noun is None:
            out.append(disc)
            continue
        if noun not in merged:
            values = [(aid, m.text) for ms in by_voice.values() for aid, m in ms if noun_class(m) == noun]
            merged[noun] = Discrepancy(disc.fact_id, disc.kind, list(dict.fromkeys(values)), disc.note)
            out.append(merged[noun])
    return out


def _key(mention: NumberMention) -> str | None:
    return "date" if mention.unit == "date" else noun_class(mention)


def _conflict(a: NumberMention, b: NumberMention) -> str | None:
    """Two mentions of the same kind (both dates, or counts of one thing) that disagree."""
    if a.unit == "date" and b.unit == "date":
        return "date" if dates_overlap(a, b) is False else None
    if isinstance(a.value, float) and isinstance(b.value, float):
        return None if figures_agree(a, b) else "number"
    return None


def _note(kind: str, a: NumberMention, b: NumberMention) -> str:
    if kind == "date":
        return f"dates do not overlap: {a.value} vs {b.value}"
    return f"counts of '{a.unit}' disagree: {a.text!r} vs {b.text!r}"
