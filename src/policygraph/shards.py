"""Shards: the graph of each document as an N-Quads file, and a manifest, for bulk loading anywhere.

``policygraph build FILES… --out DIR`` writes ``DIR/000001.nq``… (a document's graph and the actors it
names) and ``DIR/manifest.json``: per input the document, its source's SHA-256, the shard and its SHA-256,
the counts and the warnings, or why it failed. ``policygraph load DIR`` reads them back in manifest order.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .loader import FileResult
from .parallel import Built

MANIFEST = "manifest.json"
FORMAT = "policygraph-shards/1"


def is_shard_dir(path: str | Path) -> bool:
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()


def write_shards(stream: Iterable[Built], out: Path) -> dict[str, Any]:
    """Write each built document as a shard as it arrives; the manifest last (a killed build leaves none)."""
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, built in enumerate(stream, start=1):
        entries.append(_entry(built, out, index, seen))
    manifest = {"format": FORMAT, "policygraph": __version__, "documents": entries}
    partial = out / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, out / MANIFEST)
    return manifest


def _entry(built: Built, out: Path, index: int, seen: set[str]) -> dict[str, Any]:
    result = built.result
    entry: dict[str, Any] = {"document": result.path, "status": result.status}
    if result.status == "rdf":
        return {**entry, "status": "failed", "error": f"{result.path}: build takes regulations; load RDF files "
                "into the store directly"}
    if result.status != "loaded" or built.iri is None:
        return {**entry, "error": result.error}
    if built.iri in seen:  # the same document twice (one title, one version): one shard
        return {**entry, "status": "unchanged", "iri": built.iri, "sha256": built.sha256}
    seen.add(built.iri)
    shard = f"{index:06d}.nq"
    (out / shard).write_bytes(built.nquads)
    return {**entry, "iri": built.iri, "title": result.title, "sha256": built.sha256, "shard": shard,
            "shard_sha256": hashlib.sha256(built.nquads).hexdigest(), "shard_quads": built.nquads.count(b"\n"),
            "quads": result.quads, "articles": result.articles, "duties": result.duties, "actors": result.actors,
            "warnings": result.warnings}


def _clear(out: Path) -> None:
    """Remove a previous build's shards and manifest from ``out``."""
    manifest = out / MANIFEST
    if manifest.exists():
        for entry in json.loads(manifest.read_text(encoding="utf-8")).get("documents", []):
            if entry.get("shard"):
                (out / entry["shard"]).unlink(missing_ok=True)
        manifest.unlink()


def read_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(directory / MANIFEST), f"cannot read the shard manifest ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise InputError(str(directory / MANIFEST), f"not a {FORMAT} manifest")
    return manifest


def read_shards(directory: Path, manifest: dict[str, Any]) -> Iterator[Built]:
    """The documents of a build, in its order; a shard whose SHA-256 differs from the manifest's is failed."""
    for entry in manifest["documents"]:
        result = FileResult(entry["document"], entry["status"], entry.get("iri"), entry.get("title", ""),
                            entry.get("articles", 0), entry.get("duties", 0), entry.get("actors", 0),
                            entry.get("quads", 0), entry.get("warnings", []), entry.get("error"))
        if entry["status"] != "loaded":
            yield Built(result, entry.get("iri"), entry.get("sha256"))
            continue
        shard = directory / entry["shard"]
        if not shard.is_file() or _sha256(shard) != entry["shard_sha256"]:
            problem = "is missing" if not shard.is_file() else "does not match the manifest's SHA-256"
            yield Built(FileResult(result.path, "failed", error=f"{shard}: the shard {problem}"))
            continue
        yield Built(result, entry["iri"], entry["sha256"], shard=shard)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def summary(manifest: dict[str, Any]) -> dict[str, int]:
    docs = manifest["documents"]
    return {"shards": sum(1 for d in docs if d.get("shard")), "failed": sum(d["status"] == "failed" for d in docs),
            "duplicates": sum(d["status"] == "unchanged" for d in docs),
            "quads": sum(d.get("shard_quads", 0) for d in docs), "duties": sum(d.get("duties", 0) for d in docs)}

