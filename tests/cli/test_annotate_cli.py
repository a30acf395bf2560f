"""``newsprism annotate``: one record per article, every annotation checkable against the text."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsprism.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAGE = EXAMPLES / "brennock-flood" / "harbour-ledger.txt"


def test_annotate_prints_offsets_that_point_into_the_text() -> None:
    result = runner.invoke(app, ["annotate", str(PAGE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [record] = json.loads(result.stdout)
    text = record["text"]
    assert record["title"].startswith("Brennock evacuates")
    for key in ("sentences", "entities", "quotes", "loaded"):
        assert record[key], key
        for item in record[key]:
            assert text[item["start"] : item["end"]] == item["text"], (key, item)
    for quote in record["quotes"]:
        assert quote["speaker"]["name"], quote
        assert quote["speaker"]["resolved_by"] in {"explicit", "title", "pronoun", "continuation", "context"}
    assert {e["label"] for e in record["entities"]} <= {"PERSON", "ORG", "PLACE", "MISC"}
    residents = next(q for q in record["quantities"] if q["text"] == "About 900 residents")
    assert residents["approximate"] and residents["low"] < 900 < residents["high"]
    assert residents["counted"] == "people" and residents["unit"] is None
    assert all(d["value"] for d in record["dates"])
    assert all(w["lexicon"] in {"newsprism", "model"} for w in record["loaded"])


def test_annotate_jsonl_gives_one_line_per_article_and_reports_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    pages = [str(p) for p in sorted((EXAMPLES / "brennock-flood").iterdir())]
    result = runner.invoke(app, ["annotate", *pages, str(empty), "--format", "jsonl"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(pages)
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_annotate_has_no_text_format() -> None:
    result = runner.invoke(app, ["annotate", str(PAGE), "--format", "text"])
    assert result.exit_code == 2 and "json" in result.stderr
