"""Build RDF for a document: its structure and duties in its own named graph, its actors in the actors graph.

Normalised text is tagged ``zh-Hans``; the original text is kept beside it,
tagged ``zh-Hant`` when the source was traditional. Each load is recorded with
PROV-O: the source file and its SHA-256, the time, the program version and
the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__
from .extract import Duty
from .lexicon import Lexicon
from .normalize import Normalized
from .ontology import (
    ACTOR_CLASS,
    ACTORS_GRAPH,
    DCTERMS,
    ELI,
    ID,
    KIND_CONCEPT,
    LEVEL_CONCEPT,
    MODALITY_CLASS,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    ActorNode,
    ActorResolver,
    document_iri,
    jurisdiction_of,
    pg,
    slug,
)
from .read import Source
from .structure import Document

_TYPE = NamedNode(RDF + "type")
_DATE = NamedNode(XSD + "date")
_INT = NamedNode(XSD + "integer")
_BOOL = NamedNode(XSD + "boolean")
_DATETIME = NamedNode(XSD + "dateTime")
RDFS_LABEL = NamedNode(RDFS + "label")
_VERSION_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")


def eli(name: str) -> NamedNode:
    return NamedNode(ELI + name)


def org(name: str) -> NamedNode:
    return NamedNode(ORG + name)


def prov(name: str) -> NamedNode:
    return NamedNode(PROV + name)


def skos(name: str) -> NamedNode:
    return NamedNode(SKOS + name)


@dataclass
class DocumentGraph:
    """The quads of one document, ready to be written in one transaction."""

    iri: NamedNode
    slug: str
    title: str
    quads: list[Quad]
    actor_quads: list[Quad]
    articles: int
    duties: int
    actors: int
    warnings: list[str] = field(default_factory=list)


def document_slug(document: Document, source_name: str) -> str:
    """The document's IRI segment: its title, plus the version date a file name carries.

    >>> from policygraph.pipeline import parse_file
    >>> document_slug(parse_file("data/脱贫攻坚责任制实施办法.txt"), "x.txt")
    '脱贫攻坚责任制实施办法'
    """
    base = document.title or Path(source_name).stem
    if m := _VERSION_IN_NAME.search(Path(source_name).name):
        base = f"{base}_{m.group(1)}"
    return slug(base)


class GraphBuilder:
    """Turns a parsed document and its duties into quads."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def build(self, document: Document, duties: list[Duty], source: Source, *,
              loaded_at: datetime | None = None) -> DocumentGraph:
        doc_slug = document_slug(document, source.name)
        iri = document_iri(doc_slug)
        quads: list[Quad] = []
        add = _adder(quads, iri)
        original_tag = "zh-Hant" if document.norm.traditional else "zh-Hans"
        jurisdiction = jurisdiction_of(document.title, document.issuers)
        resolver = ActorResolver(self.lexicon, jurisdiction)
        actors: dict[str, ActorNode] = {}

        add(iri, _TYPE, pg("Regulation"))
        add(iri, _TYPE, eli("LegalResource"))
        add(iri, eli("title"), Literal(document.title, language="zh-Hans"))
        add(iri, NamedNode(DCTERMS + "title"), Literal(document.title, language="zh-Hans"))
        if document.published:
            add(iri, eli("date_document"), Literal(document.published, datatype=_DATE))
        if document.effective:
            add(iri, eli("first_date_entry_in_force"), Literal(document.effective, datatype=_DATE))
        if document.effective_rule:
            add(iri, pg("effectiveRule"), Literal(document.effective_rule, language="zh-Hans"))
        for issuer in document.issuers:
            issuer_node = resolver.resolve_name(issuer) or _plain_actor(issuer)
            actors[str(issuer_node.iri)] = issuer_node
            add(iri, eli("passed_by"), issuer_node.iri)
        for title in document.basis:
            add(iri, pg("basisTitle"), Literal(title, language="zh-Hans"))
        for title in document.cites:
            add(iri, pg("citesTitle"), Literal(title, language="zh-Hans"))
        # What several documents say alike (the place, the program that loaded them) is stated once,
        # in the shared actors graph, so the union default graph holds each fact once.
        shared: list[Quad] = []
        if jurisdiction:
            place = NamedNode(f"{ID}place/{slug(jurisdiction)}")
            add(iri, pg("jurisdiction"), place)
            shared.append(Quad(place, RDFS_LABEL, Literal(jurisdiction, language="zh-Hans"), ACTORS_GRAPH))

        norm = document.norm
        chapters: dict[int, NamedNode] = {}
        for ch in document.chapters:
            node = NamedNode(f"{iri.value}/chp_{ch.number}")
            chapters[ch.number] = node
            add(node, _TYPE, pg("Chapter"))
            add(node, eli("is_part_of"), iri)
            add(node, pg("inDocument"), iri)
            add(node, eli("number"), Literal(str(ch.number)))
            add(node, pg("ordinal"), Literal(str(ch.number), datatype=_INT))
            add(node, pg("heading"), Literal(ch.heading, language="zh-Hans"))
        sections: dict[tuple[int | None, int | None], NamedNode] = {}
        for sec in document.sections:
            parent = chapters.get(sec.chapter or 0, iri)
            node = NamedNode(f"{parent.value}/sec_{sec.number}")
            sections[(sec.chapter, sec.number)] = node
            add(node, _TYPE, pg("Section"))
            add(node, eli("is_part_of"), parent)
            add(node, pg("inDocument"), iri)
            add(node, eli("number"), Literal(str(sec.number)))
            add(node, pg("heading"), Literal(sec.heading, language="zh-Hans"))

        units: dict[tuple[str, int, int | None], NamedNode] = {}
        for art in document.provisions:
            node = NamedNode(f"{iri.value}/art_{art.key}")
            units[(art.key, 0, None)] = node
            parent = sections.get((art.chapter, art.section)) or chapters.get(art.chapter or 0) or iri
            add(node, _TYPE, pg("Article"))
            add(node, eli("is_part_of"), parent)
            add(node, pg("inDocument"), iri)
            add(node, eli("number"), Literal(art.label if art.suffix else str(art.number)))
            add(node, pg("ordinal"), Literal(str(art.number), datatype=_INT))
            self._text(add, node, norm, art.start, art.end, original_tag)
            for title in art.cites:
                add(node, pg("citesTitle"), Literal(title, language="zh-Hans"))
            for para in art.paragraphs:
                p_node = NamedNode(f"{node.value}/para_{para.number}")
                units[(art.key, para.number, None)] = p_node
                add(p_node, _TYPE, pg("Paragraph"))
                add(p_node, eli("is_part_of"), node)
                add(p_node, pg("inDocument"), iri)
                add(p_node, eli("number"), Literal(str(para.number)))
                add(p_node, pg("ordinal"), Literal(str(para.number), datatype=_INT))
                self._text(add, p_node, norm, para.start, para.end, original_tag)
                for item in para.items:
                    i_node = NamedNode(f"{p_node.value}/item_{item.number}")
                    units[(art.key, para.number, item.number)] = i_node
                    add(i_node, _TYPE, pg("Item"))
                    add(i_node, eli("is_part_of"), p_node)
                    add(i_node, pg("inDocument"), iri)
                    add(i_node, eli("number"), Literal(item.label))
                    add(i_node, pg("ordinal"), Literal(str(item.number), datatype=_INT))
                    self._text(add, i_node, norm, item.start, item.end, original_tag)

        ordinals: dict[str, int] = {}
        for duty in duties:
            ordinals[duty.article] = ordinals.get(duty.article, 0) + 1
            d = NamedNode(f"{iri.value}/art_{duty.article}/duty_{ordinals[duty.article]}")
            add(d, _TYPE, pg("Duty"))
            add(d, _TYPE, pg(MODALITY_CLASS[duty.modality]))
            add(d, pg("inDocument"), iri)
            add(d, pg("ordinal"), Literal(str(ordinals[duty.article]), datatype=_INT))
            if duty.actor is None:
                add(d, pg("bearerUnspecified"), Literal("true", datatype=_BOOL))
            else:
                named = own_place(duty.actor, jurisdiction)
                found = self.lexicon.resolve(named) or self.lexicon.guess(named)
                bearer = resolver.resolve(found) if found else _plain_actor(named)
                actors[str(bearer.iri)] = bearer
                add(d, pg("bearer"), bearer.iri)
                add(d, pg("bearerText"), Literal(duty.actor, language="zh-Hans"))
            add(d, pg("action"), Literal(duty.action, language="zh-Hans"))
            if duty.kind:
                add(d, pg("responsibilityKind"), pg(KIND_CONCEPT[duty.kind]))
            if duty.condition:
                add(d, pg("condition"), Literal(duty.condition, language="zh-Hans"))
            if duty.with_:
                add(d, pg("withText"), Literal(duty.with_, language="zh-Hans"))
            if duty.recipient:
                add(d, pg("recipientText"), Literal(duty.recipient, language="zh-Hans"))
                recipient = resolver.resolve_name(duty.recipient)
                if recipient:
                    actors[str(recipient.iri)] = recipient
                    add(d, pg("recipient"), recipient.iri)
            unit = units.get((duty.article, duty.paragraph, duty.item)) or units[(duty.article, 0, None)]
            add(d, prov("wasDerivedFrom"), unit)
            add(d, pg("text"), Literal(duty.text, language="zh-Hans"))
            add(d, pg("originalText"), Literal(duty.original, language=original_tag))
            add(d, pg("sourceStart"), Literal(str(duty.start), datatype=_INT))
            add(d, pg("sourceEnd"), Literal(str(duty.end), datatype=_INT))

        warnings = [f"{w['message']} (at {w['start']})" for w in document.warnings]
        self._provenance(add, iri, doc_slug, source, warnings, loaded_at)
        shared += [Quad(_AGENT, _TYPE, prov("SoftwareAgent"), ACTORS_GRAPH),
                   Quad(_AGENT, RDFS_LABEL, Literal(f"policygraph {__version__}"), ACTORS_GRAPH)]
        actor_quads = [*actor_graph(actors.values()), *shared]
        return DocumentGraph(iri, doc_slug, document.title, quads, actor_quads, len(document.provisions),
                             len(duties), len(actors), warnings)

    @staticmethod
    def _text(add: _Add, node: NamedNode, norm: Normalized, start: int, end: int, tag: str) -> None:
        s, e = norm.to_source(start, end)
        add(node, pg("text"), Literal(norm.text[start:end], language="zh-Hans"))
        add(node, pg("originalText"), Literal(norm.source_text[s:e], language=tag))
        add(node, pg("sourceStart"), Literal(str(s), datatype=_INT))
        add(node, pg("sourceEnd"), Literal(str(e), datatype=_INT))

    @staticmethod
    def _provenance(add: _Add, iri: NamedNode, doc_slug: str, source: Source, warnings: list[str],
                    loaded_at: datetime | None) -> None:
        when = (loaded_at or datetime.now(UTC)).replace(microsecond=0).isoformat()
        load = NamedNode(f"{ID}load/{doc_slug}/{source.sha256[:16]}")
        file = NamedNode(f"{ID}file/{source.sha256}")
        add(iri, prov("wasGeneratedBy"), load)
        add(load, _TYPE, prov("Activity"))
        add(load, prov("used"), file)
        add(load, prov("startedAtTime"), Literal(when, datatype=_DATETIME))
        add(load, prov("wasAssociatedWith"), _AGENT)  # described once, in the actors graph
        add(file, _TYPE, prov("Entity"))
        add(file, pg("sha256"), Literal(source.sha256))
        add(file, NamedNode(DCTERMS + "source"), Literal(source.name))
        add(file, pg("sourceFormat"), Literal(source.format))
        add(file, pg("sourceEncoding"), Literal(source.encoding))
        if source.url:
            add(file, prov("wasDerivedFrom"), NamedNode(source.url))
        for w in warnings:
            add(load, pg("warning"), Literal(w, language="en"))



_Add = Callable[[NamedNode, NamedNode, NamedNode | Literal], None]
_AGENT = NamedNode(f"{ID}agent/policygraph/{__version__}")  # the program that loads documents


def _adder(quads: list[Quad], graph: NamedNode) -> _Add:
    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p, o, graph))

    return add


_OWN_PLACE = re.compile(r"^本(?:省|市|自治区|自治州|县|区|行政区域)")


def own_place(name: str, jurisdiction: str | None) -> str:
    """Convention 14: 本市 as a subject stands for the document's jurisdiction.

    >>> own_place("本市各级人民政府", "上海市")
    '上海市各级人民政府'
    >>> own_place("本市各级人民政府", None)
    '本市各级人民政府'
    """
    return _OWN_PLACE.sub(jurisdiction, name, count=1) if jurisdiction else name


def _plain_actor(name: str) -> ActorNode:
    from .ontology import actor_iri

    return ActorNode(actor_iri(name), name, "organisation", None, generic=False)


def actor_graph(nodes: Iterable[ActorNode]) -> Iterator[Quad]:
    """Quads describing actors and everything they link to, in the actors graph."""
    seen: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.iri.value in seen:
            continue
        seen.add(node.iri.value)
        yield from _actor_quads(node)
        stack.extend(node.members)
        stack.extend(node.kinds)
        if node.post_in:
            stack.append(node.post_in)


def _actor_quads(node: ActorNode) -> Iterator[Quad]:
    g = ACTORS_GRAPH
    s = node.iri
    if node.kind == "post":
        yield Quad(s, _TYPE, org("Post"), g)
    else:
        yield Quad(s, _TYPE, pg(ACTOR_CLASS.get(node.kind, "OtherOrganisation")), g)
        yield Quad(s, _TYPE, org("Organization"), g)
    yield Quad(s, _TYPE, pg("Actor"), g)
    if node.generic:
        yield Quad(s, _TYPE, pg("GenericActor"), g)
    yield Quad(s, skos("prefLabel"), Literal(node.label, language="zh-Hans"), g)
    yield Quad(s, RDFS_LABEL, Literal(node.label, language="zh-Hans"), g)
    if node.en:
        yield Quad(s, skos("prefLabel"), Literal(node.en, language="en"), g)
    for alias in node.aliases:
        yield Quad(s, skos("altLabel"), Literal(alias, language="zh-Hans"), g)
    if node.level:
        yield Quad(s, pg("level"), pg(LEVEL_CONCEPT[node.level]), g)
    for member in node.members:
        yield Quad(s, org("hasMember"), member.iri, g)
        yield Quad(member.iri, org("memberOf"), s, g)
    for kind in node.kinds:
        yield Quad(s, pg("belongsToKind"), kind.iri, g)
    if node.post_in:
        yield Quad(s, org("postIn"), node.post_in.iri, g)
    if node.jurisdiction:
        yield Quad(s, pg("jurisdiction"), NamedNode(f"{ID}place/{slug(node.jurisdiction)}"), g)
