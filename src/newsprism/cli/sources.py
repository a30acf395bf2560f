"""``newsprism sources ...``, ``newsprism watch`` and ``newsprism fetch URL...``.

Kept apart from ``cli.py`` so the sources layer can be wired in with two lines, and so the
subscription commands work without importing the pipeline (it is imported only by ``watch`` and
``fetch``, the two commands that ingest). ``python -m newsprism.cli.sources`` runs the same
commands standalone.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from newsprism.cli.common import (
    EXIT_USAGE,
    DatabaseOption,
    console,
    err_console,
    fail,
    finish,
    open_repo,
    print_error,
    settings_for,
)
from newsprism.config import Settings
from newsprism.sources.fetch import FetchConfig, Fetcher
from newsprism.sources.opml import FeedSubscription, OPMLError, build_opml, parse_opml
from newsprism.sources.urls import InvalidURL, check_url
from newsprism.sources.watch import PollReport, WatchConfig, Watcher, fetch_pages, install_stop_signals
from newsprism.store.repository import Repository
from newsprism.store.sources import DEFAULT_INTERVAL, Source, SourceExists, SourceStore, UnknownSource

if TYPE_CHECKING:
    from newsprism.pipeline import Ingestor

sources_app = typer.Typer(
    name="sources",
    help="Subscribed feeds: add, import/export OPML, list (with each feed's last error), remove.",
    no_args_is_help=True,
    add_completion=False,
)
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Allow fetching from private, loopback and link-local addresses "
        "(also NEWSPRISM_ALLOW_PRIVATE=1).",
    ),
]


def _open(database: str | None) -> tuple[Settings, Repository]:
    settings = settings_for(database)
    return settings, open_repo(settings)


def _valid_url(url: str) -> str:
    try:
        return check_url(url)
    except InvalidURL as exc:
        raise fail(str(exc), EXIT_USAGE) from exc


# ---- sources ------------------------------------------------------------------------------------
@sources_app.command("add")
def add_source(
    url: Annotated[str, typer.Argument(help="Feed URL (RSS, Atom or JSON Feed).")],
    outlet: Annotated[str | None, typer.Option(help="Outlet name for its articles.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en.")] = None,
    interval: Annotated[
        int | None, typer.Option(help="Poll interval in seconds.", min=1, show_default=str(DEFAULT_INTERVAL))
    ] = None,
    enabled: Annotated[
        bool | None, typer.Option("--enabled/--disabled", help="Poll it (default) or just keep it listed.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Subscribe to a feed; for one already subscribed, change only the settings given."""
    url = _valid_url(url)
    _, repo = _open(database)
    store = SourceStore(repo.engine)
    changes: dict[str, Any] = {"outlet": outlet, "language": language}
    changes |= {"poll_interval_seconds": interval, "enabled": enabled}
    given = {k: v for k, v in changes.items() if v is not None}
    try:
        store.add(url, **given)
        console.print(f"added {url}")
    except SourceExists:
        store.update(url, **given)
        console.print(f"updated {url}")


@sources_app.command("import")
def import_opml(
    path: Annotated[Path, typer.Argument(metavar="FILE.opml", help="OPML export of a feed reader.")],
    interval: Annotated[int, typer.Option(help="Poll interval for feeds that name none.", min=1)] = (
        DEFAULT_INTERVAL
    ),
    database: DatabaseOption = None,
) -> None:
    """Subscribe to every feed of an OPML file (feeds already subscribed are left as they are)."""
    try:
        subscriptions = parse_opml(path.read_bytes())
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc}") from exc
    except OPMLError as exc:
        raise fail(f"{path}: {exc}") from exc
    _, repo = _open(database)
    store = SourceStore(repo.engine)
    added, skipped, invalid = 0, 0, []
    for sub in subscriptions:
        try:
            store.add(
                check_url(sub.url),
                outlet=sub.outlet,
                language=sub.language,
                poll_interval_seconds=sub.poll_interval_seconds or interval,
                enabled=sub.enabled,
            )
            added += 1
        except SourceExists:
            skipped += 1
        except InvalidURL as exc:
            invalid.append(str(exc))
    console.print(f"imported {added} feed(s); {skipped} already subscribed; {len(invalid)} invalid")
    for reason in invalid:
        print_error(reason)
    finish(added + skipped, len(invalid))


@sources_app.command("export")
def export_opml(
    path: Annotated[Path | None, typer.Argument(metavar="FILE", help="Write here instead of stdout.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Write the subscriptions as OPML 2.0 (any feed reader imports it)."""
    _, repo = _open(database)
    subs = [
        FeedSubscription(s.url, s.outlet, s.language, s.poll_interval_seconds, s.enabled)
        for s in SourceStore(repo.engine).list_sources()
    ]
    data = build_opml(subs)
    if path is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        path.write_bytes(data)
        console.print(f"exported {len(subs)} feed(s) to {path}")


@sources_app.command("list")
def list_sources(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    database: DatabaseOption = None,
) -> None:
    """Subscribed feeds with their settings and how their last poll went."""
    _, repo = _open(database)
    sources = SourceStore(repo.engine).list_sources()
    if fmt == "json":
        sys.stdout.write(json.dumps({"sources": [_source_json(s) for s in sources]}, indent=2) + "\n")
        return
    if fmt != "text":
        raise fail("--format must be text or json", EXIT_USAGE)
    if not sources:
        console.print("no sources; add one with `newsprism sources add URL`")
        return
    table = Table("outlet", "lang", "every", "on", "last poll", "status", "last error", "next poll")
    table.add_column("url", overflow="fold")  # full URLs: `sources remove` needs them verbatim
    for s in sources:
        table.add_row(
            s.outlet or "",
            s.language or "",
            f"{s.poll_interval_seconds}s",
            "yes" if s.enabled else "no",
            _when(s.last_polled_at),
            _status(s),
            s.last_error or "",
            _when(s.next_poll_at) if s.enabled else "-",
            s.url,
        )
    console.print(table)


@sources_app.command("remove")
def remove_source(
    url: Annotated[str, typer.Argument(help="Feed URL as listed by `sources list`.")],
    database: DatabaseOption = None,
) -> None:
    """Unsubscribe from a feed (its stored articles stay)."""
    _, repo = _open(database)
    try:
        SourceStore(repo.engine).remove(url.strip())
    except UnknownSource as exc:
        raise fail(f"no source {url!r}; `newsprism sources list` shows them") from exc
    console.print(f"removed {url}")


def _source_json(s: Source) -> dict[str, Any]:
    return {
        "url": s.url,
        "outlet": s.outlet,
        "language": s.language,
        "poll_interval_seconds": s.poll_interval_seconds,
        "enabled": s.enabled,
        "last_polled_at": s.last_polled_at.isoformat() if s.last_polled_at else None,
        "next_poll_at": s.next_poll_at.isoformat() if s.next_poll_at else None,
        "last_status": s.last_status,
        "last_error": s.last_error,
    }


def _status(s: Source) -> str:
    """The last poll's outcome in a word: its HTTP status, "failed" when it never got one."""
    if s.last_polled_at is None:
        return "-"
    if s.last_status is None:
        return "failed"
    return f"{s.last_status} (failed)" if s.last_error and s.last_status >= 400 else str(s.last_status)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "never"


# ---- watch and fetch ----------------------------------------------------------------------------
def _fetch_config(allow_private: bool) -> FetchConfig:
    return FetchConfig.from_env(allow_private=True) if allow_private else FetchConfig.from_env()


def _ingestor(repo: Repository, settings: Settings) -> Ingestor:
    from newsprism.pipeline import Ingestor

    return Ingestor(repo, settings)


def watch_command(
    once: Annotated[bool, typer.Option("--once", help="One pass over the due sources, then exit.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Poll every enabled source now, even those waiting out a back-off."),
    ] = False,
    concurrency: Annotated[
        int, typer.Option(help="Sources polled at the same time.", min=1, metavar="N")
    ] = 4,
    allow_private: AllowPrivateOption = False,
    database: DatabaseOption = None,
) -> None:
    """Poll subscribed feeds and ingest new entries until stopped (Ctrl-C / SIGTERM stop cleanly).

    With --once, exits 0 when every polled feed and entry worked, 1 when some failed, 3 when
    none worked (e.g. every feed refused).
    """
    settings, repo = _open(database)
    store = SourceStore(repo.engine)
    if not store.list_sources():
        raise fail("no sources; add one with `newsprism sources add URL` or `sources import FILE.opml`")
    ingestor = _ingestor(repo, settings)
    config = WatchConfig(concurrency=concurrency, page_max_bytes=settings.max_page_bytes)
    tally = _Tally()
    asyncio.run(_watch(store, ingestor, _fetch_config(allow_private), config, once, force, tally))
    if once:
        console.print(tally.summary(), highlight=False, markup=False, soft_wrap=True)
        finish(tally.ok, tally.failed_feeds + tally.failed_entries)


@dataclass
class _Tally:
    """What one ``watch --once`` pass did, for its summary line and exit status."""

    ok: int = 0
    failed_feeds: int = 0
    failed_entries: int = 0
    added: int = 0
    duplicates: int = 0

    def add(self, report: PollReport) -> None:
        if report.ok:
            self.ok += 1
        else:
            self.failed_feeds += 1
        self.failed_entries += report.failed
        self.added += len(report.added)
        self.duplicates += report.duplicates

    def summary(self) -> str:
        polled = self.ok + self.failed_feeds
        if not polled:
            return "no source is due yet; `watch --once --force` polls them all now"
        return (
            f"polled {polled} source(s): {self.ok} ok, {self.failed_feeds} failed; "
            f"{self.added} article(s) added, {self.duplicates} duplicate(s), "
            f"{self.failed_entries} entry(ies) failed"
        )


async def _watch(
    store: SourceStore,
    ingestor: Ingestor,
    fetch: FetchConfig,
    config: WatchConfig,
    once: bool,
    force: bool,
    tally: _Tally,
) -> None:
    def on_poll(report: PollReport) -> None:
        tally.add(report)
        _print_poll(report)

    async with Fetcher(fetch) as fetcher:
        watcher = Watcher(store, fetcher, ingestor, config)
        install_stop_signals(watcher.stop)
        try:
            await watcher.run(once=once, on_poll=on_poll, force=force)
        finally:
            watcher.close()
    if watcher.stop.is_set():
        err_console.print("stopped")


def _print_poll(report: PollReport) -> None:
    line = (
        f"{report.url}: {report.status or '-'}; {report.new} new, {len(report.added)} added, "
        f"{report.duplicates} duplicate(s), {report.failed} failed, {report.pending} pending"
    )
    console.print(line, highlight=False, markup=False, soft_wrap=True)
    if report.error:
        err_console.print(f"  {report.error}", highlight=False, markup=False, soft_wrap=True)
    sys.stdout.flush()


def fetch_command(
    urls: Annotated[list[str], typer.Argument(metavar="URL...", help="Article URLs to fetch and ingest.")],
    outlet: Annotated[str | None, typer.Option(help="Outlet name for these articles.")] = None,
    allow_private: AllowPrivateOption = False,
    database: DatabaseOption = None,
) -> None:
    """Fetch article pages (politely: robots.txt, rate limits) and ingest them."""
    checked = [_valid_url(u) for u in urls]
    settings, repo = _open(database)
    ingestor = _ingestor(repo, settings)
    pages, failures = asyncio.run(_fetch(checked, outlet, _fetch_config(allow_private), settings))
    report = ingestor.ingest_pages(pages)
    problems = failures + [(f.source, f.reason) for f in report.failures]
    console.print(
        f"ingested {len(report.added)} article(s) into {len(report.stories)} story(ies); "
        f"{len(report.duplicates)} duplicate(s) skipped; {len(problems)} failed"
    )
    for url, reason in problems:
        print_error(f"{url}: {reason}")
    finish(len(report.added) + len(report.duplicates), len(problems))


async def _fetch(
    urls: list[str], outlet: str | None, config: FetchConfig, settings: Settings
) -> tuple[list[Any], list[tuple[str, str]]]:
    async with Fetcher(config) as fetcher:
        return await fetch_pages(fetcher, urls, outlet=outlet, max_bytes=settings.max_page_bytes)


# ---- wiring ---------------------------------------------------------------------------------------
def register(app: typer.Typer) -> None:
    """Add ``sources ...``, ``watch`` and ``fetch`` to a Typer app (``newsprism.cli.app`` calls this)."""
    app.add_typer(sources_app, name="sources")
    app.command("watch")(watch_command)
    app.command("fetch")(fetch_command)


# standalone: python -m newsprism.cli.sources (the same commands without the rest of the CLI)
standalone_app = typer.Typer(name="newsprism-sources", no_args_is_help=True, add_completion=False)
register(standalone_app)

if __name__ == "__main__":  # pragma: no cover
    standalone_app()
