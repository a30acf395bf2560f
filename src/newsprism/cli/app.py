"""The ``newsprism`` command line: one process, many files, readable output or JSON for scripts.

Commands are thin: they load inputs (``sources.files``), call ``pipeline`` and render the result
(``render``). Every failure the user can cause ends in one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsprism.annotate import annotate
from newsprism.annotate.report import annotation_record
from newsprism.cli import render
from newsprism.cli.backfill import register as register_backfill
from newsprism.cli.common import (
    EXIT_USAGE,
    DatabaseOption,
    console,
    debug,
    err_console,
    fail,
    finish,
    open_repo,
    print_error,
    print_trace,
    settings_for,
)
from newsprism.cli.sources import register as register_sources
from newsprism.cli.users import users_app
from newsprism.config import Settings
from newsprism.model import ExtractionFailure, Page
from newsprism.pipeline import (
    Ingestor,
    IngestReport,
    ItemError,
    SplitError,
    analyse_pages,
    extract_pages,
    refresh_analyses,
    split_story,
)
from newsprism.serialize import article_record, story_contract
from newsprism.sources.files import load_pages
from newsprism.store.repository import Repository


class _App(typer.Typer):
    """The entry point: an unexpected exception becomes one ``error:`` line and exit 1.

    Stages already isolate failures per item; this is the last guard (a database gone away,
    a full disk), so no traceback reaches a user unless they ask with ``--debug``.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if debug.on:
                raise
            print_error(f"{type(exc).__name__}: {exc} (run with --debug for the traceback)")
            sys.exit(1)


app = _App(
    name="newsprism",
    help="Read one news event through many outlets: extract articles, group them into stories, "
    "and compare the coverage with a grounded Quick Read.",
    no_args_is_help=True,
    add_completion=False,
)
EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples"


def _show_version(value: bool) -> None:
    """Print the version and which extraction build runs (what a bug report needs), then exit."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from newsprism.extract import compiled

    try:
        number = version("newsprism")
    except PackageNotFoundError:  # running from a source tree that was never installed
        number = "unknown"
    build = "compiled by mypyc" if compiled() else "pure Python"
    typer.echo(f"newsprism {number} (extraction: {build}; Python {sys.version.split()[0]})")
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug_: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of the failures reported as `error:` lines.")
    ] = False,
) -> None:
    """Read one news event through many outlets: extract articles, group them into stories, and
    compare the coverage with a grounded Quick Read."""
    debug.on = debug_


class Format(StrEnum):
    text = "text"
    json = "json"


class ExtractFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Files or folders: .html/.htm/.txt pages, .jsonl records; .gz accepted."),
]


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A Rich progress bar on stderr (so stdout stays clean for JSON), one task per stage."""
    if not enabled:
        yield lambda _stage, _done, _total: None
        return
    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _load(
    paths: list[Path], settings: Settings, outlet: str | None = None, url: str | None = None
) -> tuple[list[Page], list[ExtractionFailure]]:
    pages: list[Page] = []
    failures: list[ExtractionFailure] = []
    for item in load_pages(paths, max_bytes=settings.max_page_bytes, outlet=outlet, url=url):
        (failures if isinstance(item, ExtractionFailure) else pages).append(item)  # type: ignore[arg-type]
    return pages, failures


def _report_failures(failures: list[ExtractionFailure], errors: Sequence[ItemError] = ()) -> None:
    """One ``error:`` line per failed item (crashes of a stage included); tracebacks only
    under ``--debug``."""
    printed = {(f.source, f.reason) for f in failures}
    for failure in failures:
        print_error(f"{failure.source}: {failure.reason}")
    for error in errors:
        if (error.what, error.reason) not in printed:
            print_error(f"{error.what}: {error.reason}")
        print_trace(error.trace)


def _report_earlier(errors: list[ItemError]) -> None:
    """Stories an earlier run could not analyse and this run retried in vain: reported, but
    they do not fail a run that did not touch them."""
    for error in errors:
        print_error(f"{error.what}: {error.reason} (failing since an earlier run; retried on every run)")
        print_trace(error.trace)


def _ingest_errors(failures: list[ExtractionFailure], report: IngestReport) -> list[dict[str, str]]:
    """The JSON ``errors`` list: refusals and crashes of this run, one entry per item."""
    seen = {(f.source, f.reason) for f in failures}
    extra = [e for e in report.errors if (e.what, e.reason) not in seen]
    return [{"source": f.source, "reason": f.reason} for f in failures] + [
        {"source": e.what, "reason": e.reason} for e in extra
    ]


def _summary_on_stderr(verb: str, done: int, failed: int) -> None:
    """The count line of a command whose stdout is its output (so scripts keep a clean stdout)."""
    if failed:
        err_console.print(f"{verb} {done} article(s); {failed} failed", highlight=False)


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def ingest(
    paths: PathsArgument,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for these pages.")] = None,
    url: Annotated[str | None, typer.Option(help="Original URL (for a single page).")] = None,
    database: DatabaseOption = None,
    fmt: FormatOption = Format.text,
) -> None:
    """Extract pages, group them into stories and store them (idempotent: re-ingesting is safe)."""
    settings = settings_for(database)
    pages, failures = _load(paths, settings, outlet, url)
    repo = open_repo(settings)
    with _progress(fmt is Format.text and sys.stderr.isatty()) as progress:
        report = Ingestor(repo, settings).ingest_pages(pages, progress=progress)
    failures += report.failures
    done = len(report.added) + len(report.duplicates)
    failed = len({f.source for f in failures} | {e.what for e in report.errors})
    if fmt is Format.json:
        _emit_json(
            {
                "added": [a.id for a in report.added],
                "duplicates": report.duplicates,
                "stories": sorted(report.stories),
                "errors": _ingest_errors(failures, report),
                "earlier_errors": [{"source": e.what, "reason": e.reason} for e in report.earlier_errors],
                "failed": failed,
            }
        )
    else:
        console.print(
            f"ingested {len(report.added)} article(s) into {len(report.stories)} "
            f"story(ies); {len(report.duplicates)} duplicate(s) skipped; {failed} failed"
        )
        _report_failures(failures, report.errors)
        _report_earlier(report.earlier_errors)
    finish(done, failed)


@app.command()
def extract(
    paths: PathsArgument,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")] = ExtractFormat.text,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for these pages.")] = None,
    url: Annotated[str | None, typer.Option(help="Original URL (for a single page).")] = None,
) -> None:
    """Print the clean article(s) and metadata without storing anything."""
    settings = Settings()
    pages, failures = _load(paths, settings, outlet, url)
    results = extract_pages(pages, settings=settings)
    articles = [r for r in results if not isinstance(r, ExtractionFailure)]
    failures += [r for r in results if isinstance(r, ExtractionFailure)]
    records = [article_record(a) for a in articles]
    if fmt is ExtractFormat.jsonl or (fmt is ExtractFormat.json and len(records) > 1):
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt is ExtractFormat.json and records:
        _emit_json(records[0])
    else:
        for article in articles:
            render.article(console, article)
    _report_failures(failures)
    _summary_on_stderr("extracted", len(articles), len(failures))
    finish(len(articles), len(failures))


@app.command("annotate")
def annotate_command(
    paths: PathsArgument,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="json or jsonl.")] = ExtractFormat.json,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for these pages.")] = None,
    url: Annotated[str | None, typer.Option(help="Original URL (for a single page).")] = None,
) -> None:
    """Print what annotation finds in each article (sentences, entities, quotes and speakers,
    quantities, dates, loaded words), one article at a time, without grouping or storing."""
    if fmt is ExtractFormat.text:
        raise fail("annotate prints json or jsonl (use --format json or --format jsonl)", code=2)
    settings = Settings()
    pages, failures = _load(paths, settings, outlet, url)
    results = extract_pages(pages, settings=settings)
    failures += [r for r in results if isinstance(r, ExtractionFailure)]
    records = [annotation_record(annotate(a)) for a in results if not isinstance(a, ExtractionFailure)]
    if fmt is ExtractFormat.jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        _emit_json(records)
    _report_failures(failures)
    finish(len(records), len(failures))


@app.command()
def analyse(
    paths: PathsArgument,
    fmt: FormatOption = Format.text,
) -> None:
    """One shot: extract, group and analyse the given pages and print the stories (nothing stored)."""
    settings = Settings()
    pages, failures = _load(paths, settings)
    with _progress(fmt is Format.text and sys.stderr.isatty()) as progress:
        batch = analyse_pages(pages, settings=settings, progress=progress)
    failures += batch.failures
    if fmt is Format.json:
        _emit_json(
            {
                "stories": [story_contract(r.story, r.articles, r.analysis) for r in batch.stories],
                "duplicates": [{"source": s, "duplicate_of": d} for s, d in batch.duplicate_of],
            }
        )
    else:
        for result in batch.stories:
            render.story(console, result.story, result.articles, result.analysis)
        for source, original in batch.duplicate_of:
            err_console.print(f"note: {source}: same text as {original}, grouped once", markup=False)
    _report_failures(failures, batch.errors)
    analysed = sum(len(r.articles) for r in batch.stories)
    failed = len({f.source for f in failures} | {e.what for e in batch.errors})
    _summary_on_stderr("analysed", analysed, failed)
    finish(analysed, failed)


@app.command()
def stories(
    database: DatabaseOption = None,
    fmt: FormatOption = Format.text,
    limit: Annotated[
        int | None,
        typer.Option(
            help="How many stories, newest first.",
            show_default="50; every story with --format json",
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories covered by this outlet.")] = None,
    search: Annotated[str | None, typer.Option(help="Only stories whose headline or titles match.")] = None,
) -> None:
    """List stored stories, most recently updated first."""
    repo = open_repo(settings_for(database))
    if fmt is Format.json:
        _emit_json({"stories": list(_all_story_contracts(repo, limit, outlet, search))})
        return
    render.story_table(console, repo.list_stories(limit=limit or 50, outlet=outlet, query=search))


def _all_story_contracts(
    repo: Repository, limit: int | None, outlet: str | None, search: str | None, page: int = 200
) -> Iterator[dict[str, Any]]:
    """Every matching story in the public JSON shape, read page by page (bounded memory)."""
    offset = 0
    while limit is None or offset < limit:
        size = page if limit is None else min(page, limit - offset)
        rows = repo.list_stories(limit=size, offset=offset, outlet=outlet, query=search)
        for row in rows:
            story, articles, analysis = repo.load_story(row.story.id) or (row.story, [], None)
            yield story_contract(story, articles, analysis)
        if len(rows) < size:
            return
        offset += size


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="Story id (as listed by `stories`).")],
    database: DatabaseOption = None,
    fmt: FormatOption = Format.text,
) -> None:
    """Show one story: its articles, Quick Read and the comparison of the coverage."""
    settings = settings_for(database)
    repo = open_repo(settings)
    found = repo.get_story(story_id)
    if found is None:
        raise fail(f"no story {story_id!r}; `newsprism stories` lists them")
    articles = repo.articles_for_story(found.id)
    analysis = repo.get_analysis(found.id)
    errors: list[ItemError] = []
    if analysis is None:  # repair this story only: another story's failure is not ours to show
        errors = refresh_analyses(repo, settings, story_ids=[found.id]).errors
        analysis = repo.get_analysis(found.id)
    if fmt is Format.json:
        _emit_json(story_contract(found, articles, analysis))
    else:
        render.story(console, found, articles, analysis)
    if analysis is None:
        _report_failures([], errors or [ItemError(f"story {found.id}", _no_analysis(repo, found.id))])
        raise typer.Exit(1)


def _no_analysis(repo: Repository, story_id: str) -> str:
    last = repo.analysis_error(story_id)
    return f"no analysis: {last}" if last else "no analysis yet"


@app.command()
def split(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="Story id (as listed by `stories`).")],
    article_ids: Annotated[
        list[str], typer.Argument(metavar="ARTICLE...", help="Ids of the articles to move to a new story.")
    ],
    editor: Annotated[str, typer.Option("--editor", help="Who splits (recorded in the audit log).")] = "cli",
    database: DatabaseOption = None,
    fmt: FormatOption = Format.text,
) -> None:
    """Split articles off a story: the part with the founding article keeps the id, the rest gets a
    new one. Recorded in the audit log; later ingests never merge the two parts again."""
    settings = settings_for(database)
    repo = open_repo(settings)
    try:
        kept, new = split_story(repo, story_id, article_ids, editor, settings)
    except SplitError as exc:
        raise fail(str(exc)) from None
    if fmt is Format.json:
        _emit_json({"kept": kept.id, "split_into": new.id, "articles": new.article_ids})
        return
    console.print(f"{kept.id} keeps {len(kept.article_ids)} article(s): {kept.headline}")
    console.print(f"{new.id} is new with {len(new.article_ids)} article(s): {new.headline}")


def _examples_dir(given: Path | None) -> Path:
    """The sample pages: as given, else the source checkout's examples/, else ./examples.

    A regular (non-editable) install has no checkout beside the package, so the working
    directory is the next place a user would keep them.
    """
    candidates = [given] if given else [EXAMPLES_DIR, Path.cwd() / "examples"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = " or ".join(str(c) for c in candidates)
    raise fail(f"examples folder not found at {tried}; pass one with --examples PATH", EXIT_USAGE)


@app.command()
def demo(
    database: DatabaseOption = None,
    fmt: FormatOption = Format.text,
    examples: Annotated[
        Path | None,
        typer.Option(help="Folder of sample pages (default: the checkout's examples/, else ./examples)."),
    ] = None,
) -> None:
    """Ingest the bundled examples/ (original sample pages) and print the stories."""
    folder = _examples_dir(examples)
    settings = settings_for(database)
    pages, failures = _load([folder], settings)
    repo = open_repo(settings)
    with _progress(fmt is Format.text and sys.stderr.isatty()) as progress:
        report = Ingestor(repo, settings).ingest_pages(pages, progress=progress)
    failures += report.failures
    _report_failures(failures, report.errors)
    _report_earlier(report.earlier_errors)
    story_ids = sorted({repo.article_story_id(a.id) or "" for a in report.added} - {""}) or [
        r.story.id for r in repo.list_stories(limit=20)
    ]
    results = []
    for story_id in story_ids:
        story = repo.get_story(story_id)
        if story is None:
            continue
        results.append((story, repo.articles_for_story(story.id), repo.get_analysis(story.id)))
    done = len(report.added) + len(report.duplicates)
    failed = len({f.source for f in failures} | {e.what for e in report.errors})
    if fmt is Format.json:
        _emit_json({"stories": [story_contract(s, a, an) for s, a, an in results]})
        finish(done, failed)
        return
    for story, articles, analysis in results:
        render.story(console, story, articles, analysis)
    console.print(
        f"\ningested {len(report.added)} article(s); {len(report.duplicates)} duplicate(s) skipped; "
        f"{failed} failed",
        highlight=False,
    )
    console.print(f"[dim]Stored in {settings.database_url}. Next: `newsprism serve` to browse.[/]")
    finish(done, failed)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Start the web app (news feed, story pages, JSON API)."""
    import uvicorn

    from newsprism.web.app import create_app
    from newsprism.web.server import server_options

    settings = settings_for(database)
    try:
        web_app = create_app(settings)
    except ValueError as exc:  # a configuration value (e.g. NEWSPRISM_REVIEW_POLICY) is wrong
        raise fail(str(exc), EXIT_USAGE) from exc
    console.print(f"newsprism serving on http://{host}:{port}/  (API: /api/v1, docs: /docs)")
    console.print(
        f"Newsroom sign-in: http://{host}:{port}/login  "
        "(create an account: newsprism users add NAME --role editor)"
    )
    uvicorn.run(web_app, host=host, port=port, log_level="info", **server_options())


register_sources(app)
register_backfill(app)
app.add_typer(users_app, name="users")


def main() -> None:  # pragma: no cover - console-script entry point alias
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
