"""Writing links into the store: ``eli:based_on``, ``eli:applies`` with scored ``pg:ArticleLink`` nodes, and
version links (``eli:is_realized_by``, ``eli:version_date``) for a measure stored in several versions.

Reads go through ``lookups`` (``linkable_documents``, ``link_articles``); everything written is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from ..lexicon import default_lexicon
from ..ontology import ELI, ID, PG, RDF, XSD, slug
from ..store import Store
from .align import Alignment, LinkArticle, align
from .basis import implemented_titles, is_implementing_rule, match_title, measure_title, version_in_force
from .compare import compare

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


def changes_by_link(rule: list[LinkArticle], central: list[LinkArticle], alignments: list[Alignment]
                    ) -> dict[tuple[str, str], set[str]]:
    """(rule article, central article) → the changes the rule made there: "modality", "bearer"."""
    where = {action: c.number for c in central for _, _, action in c.duties}
    out: dict[tuple[str, str], set[str]] = {}
    for pair in compare(rule, central, alignments)["pairs"]:
        for kind, key in (("modality", "modality_changed"), ("bearer", "bearer_changed")):
            for change in pair[key]:
                target = where.get(change["central_action"], pair["central_articles"][0])
                out.setdefault((pair["article"], target), set()).add(kind)
    return out


def link_quads(rule_iri: str, measures: list[str], alignments: list[Alignment],
               changes: dict[tuple[str, str], set[str]] | None = None) -> list[Quad]:
    """eli:based_on each measure, eli:applies and scored pg:ArticleLink nodes (with the changes the rule made:
    pg:change "modality" / "bearer"), in the rule's links graph."""
    changes = changes or {}
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
                *(Quad(node, NamedNode(PG + "change"), Literal(kind), graph)
                  for kind in sorted(changes.get((a.article, target), ()))),
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


@dataclass
class Measure:
    iri: str  # the version in force at the rule's date (else the earliest stored)
    title: str
    numbering_known: bool  # that version was in force at the rule's date (its numbering is the rule's)


def resolve_measures(named: list[str], own_title: str, rule_date: str | None,
                     versions: dict[str, list[tuple[str | None, str]]]) -> list[Measure]:
    """The stored measures among the titles a rule names, each as its version in force at the rule's date."""
    out = []
    for title in named:
        hit = match_title(title, versions)
        if hit is None or hit == own_title:
            continue
        known = any(rule_date and v and v <= rule_date for v, _ in versions[hit])
        out.append(Measure(version_in_force(rule_date, versions[hit]), hit, bool(known)))
    return out


def stored_versions(store: Store) -> dict[str, list[tuple[str | None, str]]]:
    """Title → [(version date, IRI)] of every stored regulation."""
    from ..lookups import linkable_documents

    versions: dict[str, list[tuple[str | None, str]]] = {}
    for d in linkable_documents(store):
        versions.setdefault(d.title, []).append((version_date(d.iri, d.date), d.iri))
    return versions


def link_documents(store: Store) -> list[Linked]:
    """(Re)link every stored rule that names a stored measure: based_on each (the version in force at the rule's
    date), and, for a rule that implements it (by its title or a 为了实施《X》/根据《X》…结合本省实际 sentence),
    article links to the first. Also rewrites the version links."""
    from ..lookups import link_articles, linkable_documents

    lexicon = default_lexicon()
    documents = linkable_documents(store)
    versions: dict[str, list[tuple[str | None, str]]] = {}
    for d in documents:
        versions.setdefault(d.title, []).append((version_date(d.iri, d.date), d.iri))
    store.replace_graphs(VERSIONS_GRAPH, version_quads(versions))
    done = []
    for d in documents:
        found = resolve_measures(named_measures(d.title, d.opening, d.basis), d.title,
                                 version_date(d.iri, d.date), versions)
        if not found:
            continue
        measures = list(dict.fromkeys(m.iri for m in found))
        alignments: list[Alignment] = []
        changes: dict[tuple[str, str], set[str]] = {}
        if implemented_titles(d.title, d.opening) or is_implementing_rule(d.title):
            rule, central = link_articles(store, d.iri), link_articles(store, found[0].iri)
            alignments = align(rule, central, measure_title=found[0].title, numbering_known=found[0].numbering_known,
                               lexicon=lexicon)
            changes = changes_by_link(rule, central, alignments)
        store.replace_graphs(NamedNode(d.iri + "/links"), link_quads(d.iri, measures, alignments, changes))
        done.append(Linked(d.iri, measures, alignments))
    return done
