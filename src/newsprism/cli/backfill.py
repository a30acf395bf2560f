"""``newsprism backfill``: archives and large inputs into the store, streamed and resumable.

Its own module so that the command wires in with one line; the work is ``newsprism.backfill``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from newsprism.cli.common import DatabaseOption, console, fail, open_repo, print_error, settings_for
from newsprism.model import ExtractionFailure


def _summary(report: Any) -> dict[str, Any]:
    return {
        "added": report.added,
        "duplicates": report.duplicates,
        "failures": report.failures,
        "pages": report.pages,
        "skipped_records": report.skipped_records,
        "stories": len(report.stories),
        "analysed": report.analysed,
        "units": report.units,
        "units_done_before": report.units_done_before,
        "late": report.late,
        "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        "cpu_seconds": {k: round(v, 3) for k, v in report.cpu_seconds.items()},
        "workers": {
            name: {"pages": pages, "cpu_seconds": round(cpu, 3)}
            for name, (pages, cpu) in sorted(report.worker_cpu.items())
        },
    }


def register(app: typer.Typer) -> None:
    @app.command()
    def backfill(
        paths: Annotated[
            list[Path],
            typer.Argument(help="WARC (.warc, .warc.gz), JSONL (.jsonl, .jsonl.gz), pages, or folders."),
        ],
        workers: Annotated[
            int,
            typer.Option(
                help="Dask workers on a local cluster (0: in-process; NEWSPRISM_DASK_SCHEDULER wins)."
            ),
        ] = 0,
        unit_size: Annotated[int, typer.Option(help="Records, lines or files per unit of work.")] = 100,
        batch_size: Annotated[int, typer.Option(help="Articles per store transaction.")] = 500,
        window_days: Annotated[
            float, typer.Option(help="Reorder window: how far out of date order the input may be.")
        ] = 1.0,
        database: DatabaseOption = None,
        json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Stream archives into the store in bounded memory; run it again to resume after a crash."""
        from newsprism.backfill import Backfill, BackfillOptions
        from newsprism.cli.app import _progress

        if min(unit_size, batch_size) < 1 or window_days < 0 or workers < 0:
            raise fail("--unit-size and --batch-size must be at least 1; --workers and --window-days >= 0")
        settings = settings_for(database)
        repo = open_repo(settings)
        options = BackfillOptions(
            unit_size=unit_size, batch_size=batch_size, window_days=window_days, workers=workers or None
        )

        def report_failure(failure: ExtractionFailure) -> None:
            print_error(f"{failure.source}: {failure.reason}")

        try:
            with _progress(not json_output and sys.stderr.isatty()) as progress:
                run = Backfill(repo, settings, options, progress=progress, on_failure=report_failure)
                report = run.run(paths)
        except KeyboardInterrupt:
            raise fail("interrupted; run the same command again to continue", code=130) from None
        if json_output:
            sys.stdout.write(json.dumps(_summary(report), indent=2) + "\n")
        else:
            console.print(
                f"backfilled {report.added} article(s) into {len(report.stories)} story(ies) from "
                f"{report.pages} page(s); {report.duplicates} duplicate(s) skipped; "
                f"{report.units_done_before} of {report.units} unit(s) already done; "
                f"{report.skipped_records} non-page record(s) skipped; {report.analysed} story(ies) analysed"
            )
        if report.failures:
            raise typer.Exit(1)
