"""The ``policygraph`` command: parse, extract, load, query, export, stats, link, serve."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
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


FileArg = Annotated[str, typer.Argument(help="A regulation: text, HTML or markdown; - for stdin.")]


@app.command()
@_friendly
def parse(
    file: FileArg,
    format: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "json",
) -> None:
    """Parse a regulation into title, dates, chapters, articles, paragraphs and items."""
    from .pipeline import parse_file

    doc = parse_file(file)
    if format == "json":
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
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
    from .pipeline import parse_file

    duties = Extractor().extract(parse_file(file))
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


_MODALITY_ZH = {"obligation": "应当", "permission": "可以", "prohibition": "不得"}


def _print_text(doc: Any) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    console.print(f"[bold]{doc.title}[/bold]")
    console.print(f"发布 {doc.published or '—'}  施行 {doc.effective or '—'}  "
                  f"制发 {'、'.join(doc.issuers) or '—'}")
    if doc.basis:
        console.print("根据 " + "、".join(f"《{b}》" for b in doc.basis))
    chapter = None
    for art in doc.articles:
        if art.chapter != chapter:
            chapter = art.chapter
            heading = next((c.heading for c in doc.chapters if c.number == chapter), "")
            console.print(f"\n[bold]第{chapter}章 {heading}[/bold]")
        console.print(f"[cyan]{art.label}[/cyan] {art.text}")
    for w in doc.warnings:
        console.print(f"[yellow]warning[/yellow] {w['message']} (at {w['start']})")


def main() -> None:  # pragma: no cover - console entry
    app()
