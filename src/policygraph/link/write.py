"""Writing links into the store: ``eli:based_on``, ``eli:applies`` with scored ``pg:ArticleLink`` nodes, and
version links (``eli:is_realized_by``, ``eli:version_date``) for a measure stored in several versions.

Reads go through ``lookups`` (``linkable_documents``, ``link_articles``); everything written is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from ..ontology import ELI, ID, PG, RDF, XSD, slug
from ..store import Store
from .align import Alignment, align
from .basis import implemented_titles, match_title, measure_title, version_in_force

VERSIONS_GRAPH = NamedNode(ID + "graph/versions")
_VERSION_IN_IRI = re.compile(r"_(\d{4}-\d{2}-\d{2})$")


@dataclass
class Linked:
    rule: str
    measures: list[str]  # every stored measure the rule names, the one aligned to first
    alignments: list[Alignment]


def version_date(iri: str, date: str | None) -> str | None:
    """A stored document's version date: the one its file name gave its IRI, else its document date."""
    m = _VERSION_IN_IRI.search(iri)
    return m.group(1) if m else date


def link_quads(rule_iri: str, measures: list[str], alignments: list[Alignment]) -> list[Quad]:
    """eli:based_on each measure, eli:applies and scored pg:ArticleLink nodes, in the rule's links graph."""
    graph = NamedNode(rule_iri + "/links")
    quads = [Quad(NamedNode(rule_iri), NamedNode(ELI + "based_on"), NamedNode(m), graph) for m in measures]
    central_iri = measures[0]
    for a in alignments:
        for rank, target in enumerate([a.central_article, *a.secondary] if a.central_article else []):
            source, dest = NamedNode(f"{rule_iri}/art_{a.article}"), NamedNode(f"{central_iri}/art_{target}")
            node = NamedNode(f"{rule_iri}/links/art_{a.article}/{target}")
            quads += [
                Quad(source, NamedNode(ELI + "applies"), dest, graph),
                Quad(node, NamedNode(RDF + "type"), NamedNode(PG + "ArticleLink"), graph),
                Quad(node, NamedNode(PG + "linkFrom"), source, graph),
                Quad(node, NamedNode(PG + "linkTo"), dest, graph),
                Quad(node, NamedNode(PG + "score"), Literal(f"{a.score:.3f}", datatype=NamedNode(XSD + "decimal")),
                     graph),
                Quad(node, NamedNode(PG + "explanation"), Literal(a.why, language="en"), graph),
                Quad(node, NamedNode(PG + "evidence"), Literal(a.evidence), graph),
                Quad(node, NamedNode(PG + "primary"), Literal("true" if rank == 0 else "false",
                                                             datatype=NamedNode(XSD + "boolean")), graph),
            ]
    return quads


def version_quads(versions: dict[str, list[tuple[str | None, str]]]) -> list[Quad]:
    """For each title stored in several versions: the work, realised by each dated version."""
    quads = []
    for title, found in sorted(versions.items()):
        if len(found) < 2:
            continue
        work = NamedNode(f"{ID}work/{slug(title)}")
        quads += [Quad(work, NamedNode(RDF + "type"), NamedNode(ELI + "LegalResource"), VERSIONS_GRAPH),
                  Quad(work, NamedNode(ELI + "title"), Literal(title, language="zh-Hans"), VERSIONS_GRAPH)]
        for date, iri in found:
            quads.append(Quad(work, NamedNode(ELI + "is_realized_by"), NamedNode(iri), VERSIONS_GRAPH))
            if date:
                quads.append(Quad(NamedNode(iri), NamedNode(ELI + "version_date"),
                                  Literal(date, datatype=NamedNode(XSD + "date")), VERSIONS_GRAPH))
    return quads


def named_measures(title: str, opening: str, basis: Iterable[str]) -> list[str]:
    """The titles a rule names as what it implements or is based on, implemented first."""
    return list(dict.fromkeys([*implemented_titles(title, opening), *(measure_title(b) for b in basis)]))


def link_documents(store: Store) -> list[Linked]:
    """(Re)link every stored rule that names a stored measure: based_on each, article links to the version of
    the first in force at the rule's date. Also rewrites the version links."""
    from ..lookups import link_articles, linkable_documents

    documents = linkable_documents(store)
    versions: dict[str, list[tuple[str | None, str]]] = {}
    for d in documents:
        versions.setdefault(d.title, []).append((version_date(d.iri, d.date), d.iri))
    store.replace_graphs(VERSIONS_GRAPH, version_quads(versions))
    done = []
    for d in documents:
        titles = [hit for t in named_measures(d.title, d.opening, d.basis)
                  if (hit := match_title(t, versions)) and hit != d.title]
        if not titles:
            continue
        rule_date = version_date(d.iri, d.date)
        measures = list(dict.fromkeys(version_in_force(rule_date, versions[t]) for t in titles))
        alignments = align(link_articles(store, d.iri), link_articles(store, measures[0]),
                           measure_title=titles[0])
        store.replace_graphs(NamedNode(d.iri + "/links"), link_quads(d.iri, measures, alignments))
        done.append(Linked(d.iri, measures, alignments))
    return done
