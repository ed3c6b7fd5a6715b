"""The ``policygraph`` command: parse, extract, load, query, export, stats, link, serve."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from .errors import PolicygraphError

app = typer.Typer(
    help="Who is responsible for what in Chinese regulations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


@app.callback()
def _root() -> None:
    """Who is responsible for what in Chinese regulations."""


def _friendly(func: F) -> F:
    """Show a PolicygraphError as one line on stderr and exit 2, without a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicygraphError as exc:
            typer.echo(f"policygraph: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


FileArg = Annotated[str, typer.Argument(
    help="A regulation: text, markdown, HTML/MHTML, Word (.docx/.doc), PDF, OFD or WPS; an http(s) URL; - for stdin.")]


def _default(name: str) -> Any:
    from .settings import default

    return default(name)


def _setting_option(name: str) -> Any:
    from .settings import SETTINGS

    setting = next(s for s in SETTINGS if s.name == name)
    return typer.Option(f"--{name.replace('_', '-')}", envvar=setting.env, help=setting.help)


StoreOpt = Annotated[str, _setting_option("store")]


@app.command()
@_friendly
def parse(
    file: FileArg,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="json; text (the text read, which offsets point into); or outline")] = "json",
) -> None:
    """Parse a regulation into title, dates, chapters, articles, paragraphs and items."""
    from .pipeline import read_document

    doc = read_document(file)
    if format == "json":
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if format == "text":
        sys.stdout.write(doc.norm.source_text)
        return
    _print_text(doc)


@app.command()
@_friendly
def extract(
    file: FileArg,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl or table")] = "jsonl",
) -> None:
    """Extract duties: one record per bearer per action, with the source span."""
    from .extract import Extractor
    from .pipeline import read_document

    duties = Extractor().extract(read_document(file))
    if format == "jsonl":
        for duty in duties:
            sys.stdout.write(json.dumps(duty.to_json(), ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("条", "责任主体", "模态", "行为", "类型", "条件", "对象", show_lines=False)
    for d in duties:
        table.add_row(d.article if d.item is None else f"{d.article}({d.item})", d.actor or "—",
                      _MODALITY_ZH[d.modality], d.action, d.kind or "", d.condition or "", d.recipient or "")
    Console().print(table)


@app.command()
@_friendly
def load(
    files: Annotated[list[str], typer.Argument(
        help="Regulations (text, markdown, HTML, Word, PDF, OFD; files or http(s) URLs) or RDF files.")],
    store: StoreOpt = "data/store",
    graph: Annotated[str | None, typer.Option(help="Named graph for RDF files.")] = None,
    replace_graph: Annotated[bool, typer.Option(help="Let RDF files replace graphs already in the store, and "
                                                "write into policygraph's own (ontology, actors, documents).")]
    = False,
    force: Annotated[bool, typer.Option(help="Reload even when a file is unchanged.")] = False,
    jobs: Annotated[int | None, _setting_option("jobs")] = None,
) -> None:
    """Load files (or a `policygraph build` directory of shards) into the store, each document whole or not at
    all; documents are built and validated in --jobs worker processes, this process only writes."""
    from pathlib import Path

    from rich.console import Console

    from .pipeline import read_document
    from .read import is_url
    from .scale import load_files, load_shards
    from .shards import is_shard_dir
    from .store import open_store

    for url in filter(is_url, files):  # a URL that cannot be read stops the load before anything is written
        read_document(url)
    err = Console(stderr=True, soft_wrap=True)
    target = open_store(store)
    try:
        with _progress(err, "loading", len(files)) as advance:
            if len(files) == 1 and is_shard_dir(files[0]):
                report = load_shards(target, Path(files[0]), force=force, progress=advance)
            else:
                report = load_files(target, files, jobs=jobs, force=force, graph=graph,
                                    replace_graph=replace_graph, progress=advance)
    finally:
        target.close()
    for failed in report.failed:
        err.print(f"[red]failed[/red] {failed.error}", highlight=False)
    summary = report.summary()
    err.print(
        f"{summary['documents']} documents ({summary['loaded']} loaded, {summary['unchanged']} unchanged), "
        f"{summary['rdf_files']} RDF files, "
        f"{summary['articles']} articles, {summary['duties']} duties, {summary['actors']} actors, "
        f"{summary['warnings']} warnings, {summary['failed']} failed, {summary['inferred_quads']} inferred quads, "
        f"{summary['seconds']} s", highlight=False)
    if summary["bytes_per_quad"]:
        err.print(f"store: {summary['store_quads']:,} quads, {summary['store_bytes']:,} bytes on disk, "
                  f"{summary['bytes_per_quad']} bytes per quad", highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
@_friendly
def build(
    files: Annotated[list[str], typer.Argument(help="Regulations (as for load; not RDF files).")],
    out: Annotated[str, typer.Option("--out", help="Directory for the shards and manifest.json.")],
    jobs: Annotated[int | None, _setting_option("jobs")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="A Dask distributed scheduler (tcp://HOST:8786) to build on instead of local worker processes.")]
    = None,
) -> None:
    """Build the graph of each document as an N-Quads shard, with a manifest, for `policygraph load DIR`."""
    from pathlib import Path

    from rich.console import Console

    from .scale import build as build_shards
    from .shards import summary

    err = Console(stderr=True, soft_wrap=True)
    with _progress(err, "building", len(files)) as advance:
        manifest = build_shards(files, Path(out), jobs=jobs, scheduler=scheduler, progress=advance)
    counts = summary(manifest)
    err.print(f"{counts['shards']} shards, {counts['quads']:,} quads, {counts['duties']} duties, "
              f"{counts['duplicates']} duplicates, {counts['failed']} failed, in {out}", highlight=False)
    for entry in manifest["documents"]:
        if entry["status"] == "failed":
            err.print(f"[red]failed[/red] {entry['error']}", highlight=False)
    if counts["failed"]:
        raise typer.Exit(1)


@contextmanager
def _progress(console: Any, verb: str, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (from three files on); yields the callback that advances it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"[bold]{verb}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True, disable=total < 3) as bar:
        task = bar.add_task("", total=total)
        yield lambda name: bar.update(task, advance=1, description=name[-40:])


@app.command()
@_friendly
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, a .rq file, or the name of a stored query.")],
    store: StoreOpt = "data/store",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value for a stored query.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json")] = "table",
) -> None:
    """Run a SPARQL query or a stored query (queries/*.rq) with bound parameters."""
    from pathlib import Path

    from .queries import NamedQuery, QueryError, load_queries
    from .store import LocalStore, open_store

    values = dict(p.split("=", 1) for p in (param or []) if "=" in p)
    _check_nesting(sparql)
    stored = load_queries()
    if sparql in stored:
        named = stored[sparql]
    elif sparql.endswith(".rq") and Path(sparql).is_file():
        named = NamedQuery.from_file(Path(sparql))
    else:
        if values:
            raise QueryError("--param works with stored queries (queries/*.rq) only")
        named = NamedQuery("inline", "inline", "", sparql)
    target = open_store(store, read_only=not store.startswith("http"))
    try:
        if named.name == "inline" and isinstance(target, LocalStore):
            _print_inline(target, sparql, format)
            return
        columns, rows = named.run(target, values)
    except (SyntaxError, ValueError, RuntimeError, OSError, AttributeError, TypeError) as exc:
        raise QueryError(f"the query failed: {_one_line(exc)}") from None
    finally:
        target.close()
    _print_rows(columns, rows, format)


def _check_nesting(sparql: str) -> None:
    """Deep nesting overflows the engine's parser (a crash, not an error): refuse it before."""
    from .endpoint import Refused, check_nesting
    from .queries import QueryError
    from .settings import Settings

    try:
        check_nesting(sparql, Settings.from_env().max_nesting)
    except Refused as exc:
        raise QueryError(f"the query was refused: {exc}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _print_inline(target: Any, sparql: str, format: str) -> None:
    """A query typed on the command line, of any form: rows, true/false, or triples (N-Triples, or the
    format asked for when it is an RDF one)."""
    import pyoxigraph as ox

    from .store import RDF_FORMATS

    result = target.query(sparql, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        typer.echo("true" if result else "false")
    elif isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [{c: solution[c] for c in columns} for solution in result]
        _print_rows(columns, rows, format)
    else:
        triples = list(result)
        rdf = RDF_FORMATS.get(format, ox.RdfFormat.N_TRIPLES)
        if rdf.supports_datasets:
            rdf = ox.RdfFormat.N_TRIPLES
        sys.stdout.buffer.write(ox.serialize(triples, format=rdf) or b"")


def _print_rows(columns: list[str], rows: list[dict[str, Any]], format: str) -> None:
    import csv

    def text(term: Any) -> str:
        return "" if term is None else str(term.value)

    if format == "json":
        json.dump([{c: text(r[c]) if r[c] is not None else None for c in columns} for r in rows],
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif format in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="," if format == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[text(r[c]) for c in columns] for r in rows])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns)
        for r in rows:
            table.add_row(*[text(r[c]) for c in columns])
        Console().print(table)
        Console(stderr=True).print(f"{len(rows)} rows", highlight=False)


@app.command()
@_friendly
def export(
    store: StoreOpt = "data/store",
    format: Annotated[str, typer.Option("--format", "-f", help="trig, nq, ttl, nt or jsonld")] = "trig",
    graph: Annotated[str | None, typer.Option(help="Only this named graph (needed for ttl and nt).")] = None,
) -> None:
    """Write the store (or one graph) to stdout."""
    from pyoxigraph import NamedNode

    from .errors import StoreError
    from .store import RDF_FORMATS, open_store

    fmt = RDF_FORMATS.get(format)
    if fmt is None:
        raise StoreError(f"unknown format {format!r} (trig, nq, ttl, nt, jsonld)")
    target = open_store(store, read_only=not store.startswith("http"))
    try:
        sys.stdout.buffer.write(target.dump(fmt, NamedNode(graph) if graph else None))
    finally:
        target.close()


@app.command()
@_friendly
def stats(store: StoreOpt = "data/store") -> None:
    """Documents, articles, duties, actors and quads in the store."""
    from .store import open_store

    target = open_store(store, read_only=not store.startswith("http"))
    try:
        counts = {}
        for name, pattern in [("documents", "?x a pg:Regulation"), ("articles", "?x a pg:Article"),
                              ("duties", "?x a pg:Duty"), ("actors", "?x a pg:Actor"),
                              ("attributions", "?x a pg:Attribution")]:
            rows = target.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
            counts[name] = int(rows[0]["n"].value) if rows[0]["n"] is not None else 0
        counts["quads"] = target.quad_count()
    finally:
        target.close()
    for name, n in counts.items():
        typer.echo(f"{name:>13} {n}")


@app.command()
@_friendly
def link(
    file: FileArg,
    to: Annotated[str | None, typer.Option("--to", help="The measure's file; without it, the store is searched "
                                           "for the documents the rule names as its basis.")] = None,
    store: StoreOpt = "data/store",
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl or table")] = "jsonl",
) -> None:
    """Align an implementing rule, article by article, to the measure it implements."""
    from .errors import InputError
    from .extract import Extractor
    from .link import align, articles_of, basis_titles
    from .pipeline import read_document

    extractor = Extractor()
    rule = read_document(file)  # no provisions: one line, exit 2 (as load)
    rule_articles = articles_of(rule, extractor.extract(rule))
    if to:
        central_doc = read_document(to)
        central = articles_of(central_doc, extractor.extract(central_doc))
        alignments = align(rule_articles, central, measure_title=central_doc.title)
    else:
        from .graph import document_slug
        from .link.write import resolve_measures, stored_versions, version_date
        from .lookups import link_articles
        from .store import open_store

        target = open_store(store, read_only=not store.startswith("http"))
        try:
            rule_date = version_date(document_slug(rule, file), rule.published)
            found = resolve_measures(basis_titles(rule), rule.title, rule_date, stored_versions(target))
            if not found:
                raise InputError(file, f"names no basis found in the store {store} (try --to)")
            central = link_articles(target, found[0].iri)
        finally:
            target.close()
        alignments = align(rule_articles, central, measure_title=found[0].title,
                           numbering_known=found[0].numbering_known)
    if format == "jsonl":
        for a in alignments:
            sys.stdout.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("细则条", "对应上位条", "得分", "次要", "理由")
    for a in alignments:
        table.add_row(a.article, a.central_article or "—（新增）", f"{a.score:.2f}", ",".join(a.secondary), a.why)
    Console().print(table)


@app.command()
@_friendly
def serve(
    store: StoreOpt = _default("store"),
    host: Annotated[str, _setting_option("host")] = _default("host"),
    port: Annotated[int, _setting_option("port")] = _default("port"),
    query_timeout: Annotated[float, _setting_option("query_timeout")] = _default("query_timeout"),
    max_rows: Annotated[int, _setting_option("max_rows")] = _default("max_rows"),
    max_body: Annotated[int, _setting_option("max_body")] = _default("max_body"),
    cors: Annotated[bool, _setting_option("cors")] = _default("cors"),
    allow_service: Annotated[str, _setting_option("allow_service")] = _default("allow_service"),
    workers: Annotated[int, _setting_option("workers")] = _default("workers"),
) -> None:
    """Serve the SPARQL endpoint, the lookups and the web page."""
    from .api import serve as run
    from .settings import Settings

    settings = Settings.from_env(store=store, host=host, port=port, query_timeout=query_timeout,
                                 max_rows=max_rows, max_body=max_body, cors=cors, allow_service=allow_service,
                                 workers=workers)
    typer.echo(f"policygraph {settings.store} on http://{settings.host}:{settings.port}/ "
               f"({'updates with token' if settings.update_token else 'read-only'}, "
               f"{settings.workers} worker{'s' if settings.workers > 1 else ''})", err=True)
    run(settings)


_MODALITY_ZH = {"obligation": "应当", "permission": "可以", "prohibition": "不得", "right": "有权"}


def _print_text(doc: Any) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    console.print(f"[bold]{doc.title}[/bold]")
    console.print(f"发布 {doc.published or '—'}  施行 {doc.effective or '—'}  "
                  f"制发 {'、'.join(doc.issuers) or '—'}")
    if doc.basis:
        console.print("根据 " + "、".join(f"《{b}》" for b in doc.basis))
    chapter = None
    for art in doc.provisions:
        if art.chapter != chapter:
            chapter = art.chapter
            heading = next((c.heading for c in doc.chapters if c.number == chapter), "")
            console.print(f"\n[bold]第{chapter}章 {heading}[/bold]")
        console.print(f"[cyan]{art.label}[/cyan] {art.text}")
    for w in doc.warnings:
        console.print(f"[yellow]warning[/yellow] {w['message']} (at {w['start']})")


def main() -> None:  # pragma: no cover - console entry
    app()
