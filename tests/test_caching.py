"""``caching.weighted_cache`` keeps the summed weight of its entries within the budget."""

from __future__ import annotations

from newsprism.caching import weighted_cache

calls: list[str] = []


@weighted_cache(max_weight=100, weight=len)
def _shout(text: str) -> str:
    calls.append(text)
    return text.upper()


def test_weight_stays_within_budget_after_many_distinct_inputs() -> None:
    _shout.cache_clear()
    for i in range(5_000):
        assert _shout("x" * (i % 37 + 1)) == "X" * (i % 37 + 1)
        assert _shout(f"w{i}") == f"W{i}"
        assert _shout.cache_info().weight <= 100
    info = _shout.cache_info()
    assert 0 < info.weight <= 100 and info.currsize < 100


def test_recently_used_entries_are_kept_and_too_heavy_ones_not_at_all() -> None:
    _shout.cache_clear()
    calls.clear()
    _shout("a" * 40)
    _shout("b" * 40)
    _shout("a" * 40)  # a hit: "a…" is now the most recent
    _shout("c" * 40)  # 120 > 100: the least recent ("b…") goes
    _shout("a" * 40)
    assert calls == ["a" * 40, "b" * 40, "c" * 40]
    _shout("b" * 40)
    assert calls[-1] == "b" * 40
    _shout("z" * 101)
    _shout("z" * 101)
    assert calls[-2:] == ["z" * 101, "z" * 101]  # heavier than the budget: computed, not kept
    assert _shout.cache_info().weight <= 100
