"""Train the grouper's pair model (``src/newsprism/stories/pair_model.json``) on public data.

Pairs come from a labelled replay (``StoryGrouper.teach``): each article of a stream is scored
against the candidate stories the live grouper would look at, then joins its true event's
story, so the stories look as they would if every earlier decision had been right. Only the
*tune* halves are used (AllSides: even event ids; ECB+: even topics), from four streams: ECB+,
AllSides dated by day, AllSides with dates spread 0-4 days, AllSides undated. The
regularisation is chosen by cross-validation grouped by event (no event is in both a training
and a validation fold). What is shipped: feature names, means, scales, weights. No text.

    python benchmarks/stories_train.py            # train, print CV scores, write the model
    python benchmarks/stories_train.py --dry-run  # train and print only
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold

from newsprism.stories import GraphGrouper, GroupingSettings, story_id_for
from newsprism.stories import OnlineGrouper as StoryGrouper
from newsprism.stories.edges import EDGE_FEATURES
from newsprism.stories.evaluation import Labelled, spread_dates, undated
from newsprism.stories.pairs import FEATURES, PairModel, bundled_model

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "src" / "newsprism" / "stories" / "pair_model.json"
EDGE_MODEL = REPO / "src" / "newsprism" / "stories" / "edge_model.json"


def corpora() -> dict[str, list[Labelled]]:
    """The four public streams, as the benchmark builds them (imported lazily: one loader)."""
    from stories import load_allsides, load_ecbplus

    allsides = load_allsides()
    return {
        "ecbplus": load_ecbplus(),
        "allsides": allsides,
        "allsides-spread": spread_dates(allsides),
        "allsides-undated": undated(allsides),
    }


def labelled_pairs(items: list[Labelled], tag: int) -> tuple[list[list[float]], list[int], list[int]]:
    """(features, same event?, event group) for every candidate pair of a labelled replay."""
    grouper = StoryGrouper(GroupingSettings(scorer="learned"))
    founders: dict[int, str] = {}
    story_event: dict[str, int] = {}
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for item in items:
        story = founders.setdefault(item.event, story_id_for(item.article.id))
        story_event[story] = item.event
        for candidate, inputs in grouper.teach(item.article, story):
            if item.half == 0:
                rows.append(inputs.vector())
                labels.append(int(story_event.get(candidate) == item.event))
                groups.append(tag * 100000 + item.event)
    return rows, labels, groups


def live_pairs(items: list[Labelled], tag: int) -> tuple[list[list[float]], list[int], list[int]]:
    """Pairs met by the *live* grouper (with the current model): its stories are imperfect,
    so the model also learns from the situations its own mistakes create (one round of
    imitation learning). A story's event is its majority event."""
    grouper = StoryGrouper(GroupingSettings(scorer="learned"))
    event_of = {item.article.id: item.event for item in items}
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for item in items:
        grouper.last_candidates = []
        grouper.add(item.article)
        if item.half != 0:
            continue
        for candidate, inputs in grouper.last_candidates:
            members = [event_of[a] for a in grouper.members(candidate) if a != item.article.id]
            if not members:
                continue
            majority = max(set(members), key=lambda e: (members.count(e), -e))
            rows.append(inputs.vector())
            labels.append(int(majority == item.event))
            groups.append(tag * 100000 + item.event)
    return rows, labels, groups


def ensure_loadable() -> None:
    """After a change of FEATURES the shipped file no longer loads: start from a neutral model
    (the labelled replay needs no model; the live replay then uses the first round's)."""
    try:
        bundled_model()
    except ValueError:
        zeros = (0.0,) * len(FEATURES)
        neutral = PairModel(mean=zeros, scale=(1.0,) * len(FEATURES), weights=zeros, bias=0.0)
        MODEL.write_text(json.dumps(neutral.to_json()) + "\n", encoding="utf-8")
        bundled_model.cache_clear()


def train(dry_run: bool, use_linear: bool = False, live: bool = True) -> PairModel:
    ensure_loadable()
    x_rows: list[list[float]] = []
    y: list[int] = []
    g: list[int] = []
    for tag, (name, items) in enumerate(corpora().items()):
        for kind, collect in (("labelled", labelled_pairs), ("live", live_pairs)):
            if kind == "live" and not live:
                continue
            rows, labels, groups = collect(items, tag)
            print(f"{name:<18} {kind:<8} {len(rows):6} pairs, {sum(labels):5} same-event")
            x_rows += rows
            y += labels
            g += groups
    x = np.array(x_rows, dtype=float)
    target = np.array(y)
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    z = (x - mean) / scale
    best_c, best = 1.0, -1.0
    for c in (0.01, 0.1, 1.0, 10.0):
        probs = np.zeros(len(target))
        for train_idx, test_idx in GroupKFold(n_splits=5).split(z, target, np.array(g)):
            fold = LogisticRegression(C=c, max_iter=2000).fit(z[train_idx], target[train_idx])
            probs[test_idx] = fold.predict_proba(z[test_idx])[:, 1]
        auc, f1 = roc_auc_score(target, probs), f1_score(target, probs >= 0.5)
        print(f"C={c:<5} CV by event: AUC {auc:.4f}, pair F1 at 0.5 {f1:.4f}")
        if f1 > best:
            best_c, best = c, f1
    probs = np.zeros(len(target))
    for train_idx, test_idx in GroupKFold(n_splits=5).split(x, target, np.array(g)):
        probs[test_idx] = boosted().fit(x[train_idx], target[train_idx]).predict_proba(x[test_idx])[:, 1]
    auc, f1 = roc_auc_score(target, probs), f1_score(target, probs >= 0.5)
    print(f"gradient boosting CV by event: AUC {auc:.4f}, pair F1 at 0.5 {f1:.4f}")
    linear = LogisticRegression(C=best_c, max_iter=2000).fit(z, target)
    model = PairModel(
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in linear.coef_[0]),
        bias=float(linear.intercept_[0]),
    )
    if not use_linear:
        model = checked_export(boosted().fit(x, target), x)
    for name, weight in zip(FEATURES, linear.coef_[0], strict=True):
        print(f"  {name:<16} {weight:+.3f}  (logistic regression, standardised)")
    if not dry_run:
        MODEL.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(REPO)} (C={best_c})")
    return model


def boosted() -> HistGradientBoostingClassifier:
    """Small and shallow: a few hundred pairs per event kind; the file stays ~100 KB."""
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_depth=4, random_state=0)


def checked_export(classifier: HistGradientBoostingClassifier, x: np.ndarray) -> PairModel:
    """The trees as shipped, checked to give scikit-learn's own probabilities."""
    model = exported(classifier, x.shape[1])
    mine = np.array([model.probability(list(row)) for row in x[:1000]])
    gap = float(np.abs(mine - classifier.predict_proba(x[:1000])[:, 1]).max())
    print(f"exported {len(model.trees)} trees; largest difference from scikit-learn {gap:.2e}")
    assert gap < 1e-6, "exported trees disagree with scikit-learn"
    return model


def exported(classifier: HistGradientBoostingClassifier, width: int) -> PairModel:
    """The fitted trees node by node; checked against scikit-learn's own probabilities."""
    trees = []
    for (predictor,) in classifier._predictors:
        nodes = [
            (
                -1 if node["is_leaf"] else int(node["feature_idx"]),
                float(node["num_threshold"]),
                int(node["left"]),
                int(node["right"]),
                float(node["value"]),
            )
            for node in predictor.nodes
        ]
        trees.append(tuple(nodes))
    baseline = float(np.ravel(classifier._baseline_prediction)[0])
    zeros, ones = (0.0,) * width, (1.0,) * width
    return PairModel(mean=zeros, scale=ones, weights=zeros, bias=baseline, trees=tuple(trees))


def edge_pairs(items: list[Labelled], tag: int) -> tuple[list[list[float]], list[int], list[int]]:
    """(features, same event?, event group) of every edge of the article graph, both ends in
    the tune half. Nothing retires (the whole stream stays in the graph), so the neighbour
    ranks are those of the finished set, as the live grouper's are once a window is complete."""
    settings = replace(GroupingSettings(), retain_days=1e6)
    neutral = PairModel(mean=(), scale=(), weights=(), bias=0.0)
    grouper = GraphGrouper(settings, model=neutral)
    for item in items:
        grouper.link(item.article)
    labelled = {item.article.id: item for item in items}
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for a, b, features in grouper.edges():
        one, two = labelled[a], labelled[b]
        if one.half == 0 and two.half == 0:
            rows.append(features)
            labels.append(int(one.event == two.event))
            groups.append(tag * 100000 + one.event)
    return rows, labels, groups


def sparse(items: list[Labelled], keep: float = 0.3, seed: int = 5) -> list[Labelled]:
    """A seeded ~30% of the events: a quieter stream, where an article's closest neighbour is
    often another event. Why: the public corpora are dense (ECB+: ~11 articles per event, all
    of a topic together), so without this the model learns that the closest article is nearly
    always the same event, and a lone article in a quiet stream joins whatever is nearest."""
    rng = random.Random(seed)
    kept = {e for e in sorted({i.event for i in items}) if rng.random() < keep}
    return [i for i in items if i.event in kept]


def train_edges(dry_run: bool) -> PairModel:
    """The graph grouper's article-pair model: gradient boosting, CV by event, then all pairs."""
    x_rows: list[list[float]] = []
    y: list[int] = []
    g: list[int] = []
    streams = corpora()
    for name, items in list(streams.items()):
        streams[f"{name}-sparse"] = sparse(items)
    for tag, (name, items) in enumerate(streams.items()):
        rows, labels, groups = edge_pairs(items, tag)
        print(f"{name:<18} {len(rows):6} edges, {sum(labels):5} same-event")
        x_rows += rows
        y += labels
        g += groups
    x, target = np.array(x_rows, dtype=float), np.array(y)
    probs = np.zeros(len(target))
    for train_idx, test_idx in GroupKFold(n_splits=5).split(x, target, np.array(g)):
        probs[test_idx] = edge_boosted().fit(x[train_idx], target[train_idx]).predict_proba(x[test_idx])[:, 1]
    auc, f1 = roc_auc_score(target, probs), f1_score(target, probs >= 0.5)
    print(f"CV by event: AUC {auc:.4f}, pair F1 at 0.5 {f1:.4f}")
    model = checked_export(edge_boosted().fit(x, target), x)
    if not dry_run:
        text = json.dumps(model.to_json(EDGE_FEATURES), separators=(",", ":"))
        EDGE_MODEL.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {EDGE_MODEL.relative_to(REPO)}")
    return model


def edge_boosted() -> HistGradientBoostingClassifier:
    """Few shallow trees: every edge of a new article's neighbourhood is scored in pure Python."""
    return HistGradientBoostingClassifier(max_iter=40, learning_rate=0.2, max_depth=4, random_state=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--linear", action="store_true", help="ship the logistic regression instead")
    parser.add_argument("--no-live", action="store_true", help="labelled replay only (first round)")
    parser.add_argument("--online", action="store_true", help="the single-pass grouper's story model")
    args = parser.parse_args()
    if args.online:
        train(args.dry_run, args.linear, not args.no_live)
    else:
        train_edges(args.dry_run)


if __name__ == "__main__":
    main()
