"""Lookups the API and the web page serve: documents, articles, actors and their duties.

Every value from a request is bound (``substitutions=``, on projected
variables), never formatted into a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from .ontology import ID, PG
from .store import Store, plain

ACTOR_PREFIX = ID + "actor/"
DOC_PREFIX = ID + "doc/"


def node(iri: str) -> NamedNode | None:
    """The IRI a request names, or None when it cannot be one (control characters, spaces…)."""
    try:
        return NamedNode(iri)
    except ValueError:
        return None


def actor_id(iri: str) -> str:
    return iri.removeprefix(ACTOR_PREFIX)


def document_id(iri: str) -> str:
    return iri.removeprefix(DOC_PREFIX)


DOCUMENTS = """
SELECT ?doc ?title ?published ?effective ?jurisdiction (COUNT(DISTINCT ?art) AS ?articles)
       (COUNT(DISTINCT ?duty) AS ?duties)
WHERE {
  ?doc a pg:Regulation ; eli:title ?title .
  OPTIONAL { ?doc eli:date_document ?published }
  OPTIONAL { ?doc eli:first_date_entry_in_force ?effective }
  OPTIONAL { ?doc pg:jurisdiction/rdfs:label ?jurisdiction }
  OPTIONAL { ?art a pg:Article ; pg:inDocument ?doc }
  OPTIONAL { ?duty a pg:Duty ; pg:inDocument ?doc }
}
GROUP BY ?doc ?title ?published ?effective ?jurisdiction
ORDER BY ?title
"""


def documents(store: Store) -> list[dict[str, Any]]:
    out = []
    for r in plain(store.select(DOCUMENTS)):
        r["id"] = document_id(r.pop("doc"))
        r["articles"], r["duties"] = int(r["articles"]), int(r["duties"])
        out.append(r)
    return out


DOCUMENT = """
SELECT ?doc ?title ?published ?effective ?rule ?jurisdiction ?issuer ?basis ?based_on ?based_on_title ?warning
WHERE {
  ?doc a pg:Regulation ; eli:title ?title .
  OPTIONAL { ?doc eli:date_document ?published }
  OPTIONAL { ?doc eli:first_date_entry_in_force ?effective }
  OPTIONAL { ?doc pg:effectiveRule ?rule }
  OPTIONAL { ?doc pg:jurisdiction/rdfs:label ?jurisdiction }
  OPTIONAL { ?doc eli:passed_by/skos:prefLabel ?issuer FILTER(langMatches(lang(?issuer), "zh-Hans")) }
  OPTIONAL { ?doc pg:basisTitle ?basis }
  OPTIONAL { ?doc eli:based_on ?based_on . ?based_on eli:title ?based_on_title }
  OPTIONAL { ?doc prov:wasGeneratedBy/pg:warning ?warning }
}
"""

CHAPTERS = """
SELECT DISTINCT ?doc ?number ?heading ?n WHERE {
  ?c a pg:Chapter ; pg:inDocument ?doc ; eli:number ?number ; pg:heading ?heading ; pg:ordinal ?n .
} ORDER BY ?n
"""

ARTICLES = """
SELECT DISTINCT ?a ?number ?n ?chapter ?text WHERE {
  ?a pg:inDocument ?doc ; a pg:Article ; eli:number ?number ; pg:ordinal ?n ; pg:text ?text .
  OPTIONAL { ?a eli:is_part_of ?c . ?c a pg:Chapter ; eli:number ?chapter }
} ORDER BY ?n
"""

# Counted from the document's duties (pg:inDocument), not from each article: from an article, the path back from
# every duty of the store was walked again for each article (a second per document at 140 laws, quadratic).
DUTIES_BY_ARTICLE = """
SELECT ?a (COUNT(DISTINCT ?duty) AS ?duties) WHERE {
  ?duty pg:inDocument ?doc ; a pg:Duty ; prov:wasDerivedFrom ?span . ?span eli:is_part_of* ?a . ?a a pg:Article .
} GROUP BY ?a
"""


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    doc = node(DOC_PREFIX + doc_id)
    rows = plain(store.select(DOCUMENT, doc=doc)) if doc else []
    if not rows or doc is None:
        return None
    first = rows[0]

    def distinct(key: str) -> list[Any]:
        return list(dict.fromkeys(r[key] for r in rows if r[key] is not None))

    based_on = [{"id": document_id(d), "title": t}
                for d, t in dict.fromkeys((r["based_on"], r["based_on_title"]) for r in rows if r["based_on"])]
    return {
        "id": doc_id, "iri": doc.value, "title": first["title"], "published": first["published"],
        "effective": first["effective"], "effective_rule": first["rule"], "jurisdiction": first["jurisdiction"],
        "issuers": distinct("issuer"), "basis": distinct("basis"), "based_on": based_on,
        "warnings": distinct("warning"),
        "chapters": [{"number": r["number"], "heading": r["heading"]}
                     for r in plain(store.select(CHAPTERS, doc=doc))],
        "articles": _articles(store, doc),
    }


def _articles(store: Store, doc: NamedNode) -> list[dict[str, Any]]:
    counts = {r["a"]: int(r["duties"]) for r in plain(store.select(DUTIES_BY_ARTICLE, doc=doc))}
    return [{"number": r["number"], "chapter": r["chapter"], "text": r["text"], "duties": counts.get(r["a"], 0)}
            for r in plain(store.select(ARTICLES, doc=doc))]


ARTICLE = """
SELECT ?doc ?number ?art ?title ?text ?original ?start ?end ?heading WHERE {
  ?art a pg:Article ; pg:inDocument ?doc ; eli:number ?number ; pg:text ?text ; pg:originalText ?original ;
       pg:sourceStart ?start ; pg:sourceEnd ?end .
  ?doc eli:title ?title .
  OPTIONAL { ?art eli:is_part_of/pg:heading ?heading }
}
"""

ARTICLE_DUTIES = """
SELECT DISTINCT ?art ?duty ?ordinal ?actor ?actor_name ?modality ?action ?kind ?condition ?recipient ?text ?start ?end
WHERE {
  ?duty a pg:Duty ; prov:wasDerivedFrom/eli:is_part_of* ?art ; pg:ordinal ?ordinal ; pg:action ?action ;
        pg:text ?text ; pg:sourceStart ?start ; pg:sourceEnd ?end .
  VALUES (?class ?modality) { (pg:Obligation "obligation") (pg:Permission "permission")
                              (pg:Prohibition "prohibition") (pg:Right "right") }
  ?duty a ?class .
  OPTIONAL { ?duty pg:bearer ?actor . ?actor skos:prefLabel ?actor_name
             FILTER(langMatches(lang(?actor_name), "zh-Hans")) }
  OPTIONAL { ?duty pg:responsibilityKind/skos:prefLabel ?kind FILTER(langMatches(lang(?kind), "zh-Hans")) }
  OPTIONAL { ?duty pg:condition ?condition }
  OPTIONAL { ?duty pg:recipientText ?recipient }
} ORDER BY ?ordinal
"""

ARTICLE_CITES = """
SELECT DISTINCT ?art ?cited ?cited_doc WHERE {
  ?art pg:citesTitle ?cited .
  OPTIONAL { ?cited_doc a pg:Regulation ; eli:title ?t FILTER(STR(?t) = STR(?cited)) }
}
"""

ARTICLE_LINKS = """
SELECT DISTINCT ?art ?other ?direction ?score ?other_number ?other_doc ?other_title WHERE {
  { ?art eli:applies ?other BIND("applies" AS ?direction) }
  UNION { ?other eli:applies ?art BIND("applied_by" AS ?direction) }
  ?other eli:number ?other_number ; pg:inDocument ?other_doc .
  ?other_doc eli:title ?other_title .
  OPTIONAL { ?link pg:linkFrom ?from ; pg:linkTo ?to ; pg:score ?score
             FILTER((?from = ?art && ?to = ?other) || (?from = ?other && ?to = ?art)) }
}
"""


def article(store: Store, doc_id: str, number: str) -> dict[str, Any] | None:
    art = node(f"{DOC_PREFIX}{doc_id}/art_{number}")
    rows = plain(store.select(ARTICLE, art=art)) if art else []
    if not rows or art is None:
        return None
    r = rows[0]
    duties = []
    for d in plain(store.select(ARTICLE_DUTIES, art=art)):
        d["actor_id"] = actor_id(d.pop("actor")) if d["actor"] else None
        d["start"], d["end"] = int(d["start"]), int(d["end"])
        d.pop("art")
        duties.append(d)
    cites = [{"title": c["cited"], "document_id": document_id(c["cited_doc"]) if c["cited_doc"] else None}
             for c in plain(store.select(ARTICLE_CITES, art=art))]
    links = [{"direction": link["direction"], "article": link["other_number"],
              "document_id": document_id(link["other_doc"]), "document": link["other_title"],
              "score": float(link["score"]) if link["score"] is not None else None}
             for link in plain(store.select(ARTICLE_LINKS, art=art))]
    return {
        "document_id": doc_id, "document": r["title"], "number": r["number"], "iri": art.value,
        "chapter_heading": r["heading"], "text": r["text"], "original": r["original"],
        "start": int(r["start"]), "end": int(r["end"]), "duties": duties, "cites": cites, "links": links,
    }


ACTORS = """
SELECT ?actor ?name ?en ?level (COUNT(DISTINCT ?duty) AS ?direct) WHERE {
  ?actor a pg:Actor ; skos:prefLabel ?name FILTER(langMatches(lang(?name), "zh-Hans"))
  OPTIONAL { ?actor skos:prefLabel ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?actor pg:level/skos:prefLabel ?level FILTER(langMatches(lang(?level), "en")) }
  OPTIONAL { ?duty pg:bearer ?actor }
} GROUP BY ?actor ?name ?en ?level ORDER BY DESC(?direct) ?name
"""

# An actor's kinds (the English labels of its classes under pg:Actor) and whether it is generic, by plain
# patterns with the subclass closure taken here: Virtuoso 7.2 drops rows of an OPTIONAL that holds a
# transitive path (?class rdfs:subClassOf* pg:Actor) and evaluates BIND(EXISTS {…}) to false.
ACTOR_CLASSES = """
SELECT DISTINCT ?actor ?class WHERE {
  ?actor a pg:Actor , ?class FILTER(?class NOT IN (pg:Actor, org:Organization, pg:GenericActor))
}
"""

CLASSES = """
SELECT DISTINCT ?class ?super ?kind WHERE {
  ?class rdfs:subClassOf ?super OPTIONAL { ?class rdfs:label ?kind FILTER(langMatches(lang(?kind), "en")) }
}
"""

GENERIC_ACTORS = """
SELECT DISTINCT ?actor WHERE { ?actor a pg:GenericActor }
"""

ACTORS_IN_DOCUMENT = """
SELECT DISTINCT ?doc ?actor WHERE { ?duty pg:inDocument ?doc ; pg:bearer ?actor }
"""


def _actor_kinds(store: Store) -> dict[str, list[str]]:
    """Each actor's kinds: the English labels of its classes that are pg:Actor or below it (sorted)."""
    supers: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for r in plain(store.select(CLASSES)):
        supers.setdefault(r["class"], set()).add(r["super"])
        if r["kind"]:
            labels.setdefault(r["class"], set()).add(r["kind"])
    actor = PG + "Actor"

    def under_actor(cls: str) -> bool:
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c == actor:
                return True
            if c not in seen:
                seen.add(c)
                todo.extend(supers.get(c, ()))
        return False

    kinds: dict[str, set[str]] = {}
    for r in plain(store.select(ACTOR_CLASSES)):
        if under_actor(r["class"]):
            kinds.setdefault(r["actor"], set()).update(labels.get(r["class"], ()))
    return {a: sorted(k) for a, k in kinds.items()}


def actors(store: Store, *, level: str | None = None, kind: str | None = None,
           document_id_: str | None = None) -> list[dict[str, Any]]:
    rows = plain(store.select(ACTORS))
    kinds = _actor_kinds(store)
    generic = {r["actor"] for r in plain(store.select(GENERIC_ACTORS))}
    allowed = None
    if document_id_:
        doc = node(DOC_PREFIX + document_id_)
        allowed = {r["actor"] for r in plain(store.select(ACTORS_IN_DOCUMENT, doc=doc))} if doc else set()
    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        if allowed is not None and r["actor"] not in allowed:
            continue
        entry = merged.setdefault(r["actor"], {
            "id": actor_id(r["actor"]), "name": r["name"], "en": r["en"], "level": r["level"], "kinds": [],
            "generic": r["actor"] in generic, "direct_duties": int(r["direct"])})
        for k in kinds.get(r["actor"], ()):
            if k not in entry["kinds"]:
                entry["kinds"].append(k)
    out = list(merged.values())
    if level:
        out = [a for a in out if a["level"] == level]
    if kind:
        out = [a for a in out if kind in a["kinds"]]
    return out


ACTOR = """
SELECT ?actor ?name ?en ?alias ?level ?kind ?member ?member_name ?of ?of_name ?wider ?wider_name ?narrower
       ?narrower_name ?post_in ?post_in_name ?jurisdiction WHERE {
  ?actor skos:prefLabel ?name FILTER(langMatches(lang(?name), "zh-Hans"))
  OPTIONAL { ?actor skos:prefLabel ?en FILTER(langMatches(lang(?en), "en")) }
  OPTIONAL { ?actor skos:altLabel ?alias }
  OPTIONAL { ?actor pg:level/skos:prefLabel ?level FILTER(langMatches(lang(?level), "en")) }
  OPTIONAL { ?actor a ?class . ?class rdfs:label ?kind FILTER(langMatches(lang(?kind), "en"))
             FILTER(?class NOT IN (pg:Actor, org:Organization, pg:GenericActor)) }
  OPTIONAL { ?actor org:hasMember ?member . ?member skos:prefLabel ?member_name
             FILTER(langMatches(lang(?member_name), "zh-Hans")) }
  OPTIONAL { ?of org:hasMember ?actor . ?of skos:prefLabel ?of_name FILTER(langMatches(lang(?of_name), "zh-Hans")) }
  OPTIONAL { ?actor pg:belongsToKind ?wider . ?wider skos:prefLabel ?wider_name
             FILTER(langMatches(lang(?wider_name), "zh-Hans")) }
  OPTIONAL { ?narrower pg:belongsToKind ?actor . ?narrower skos:prefLabel ?narrower_name
             FILTER(langMatches(lang(?narrower_name), "zh-Hans")) }
  OPTIONAL { ?actor org:postIn ?post_in . ?post_in skos:prefLabel ?post_in_name
             FILTER(langMatches(lang(?post_in_name), "zh-Hans")) }
  OPTIONAL { ?actor pg:jurisdiction/rdfs:label ?jurisdiction }
}
"""


def actor_exists(store: Store, ident: str) -> bool:
    """Whether the store knows an actor by this id (a cheap ASK, not the full description)."""
    iri = node(ACTOR_PREFIX + ident)
    return iri is not None and store.ask("ASK WHERE { ?actor skos:prefLabel ?name }", actor=iri)


def actor(store: Store, ident: str) -> dict[str, Any] | None:
    iri = node(ACTOR_PREFIX + ident)
    rows = plain(store.select(ACTOR, actor=iri)) if iri else []
    if not rows or iri is None:
        return None

    def pairs(key: str, name: str) -> list[dict[str, str]]:
        seen = dict.fromkeys((r[key], r[name]) for r in rows if r[key])
        return [{"id": actor_id(k), "name": n} for k, n in seen]

    first = rows[0]
    return {
        "id": ident, "iri": iri.value, "name": first["name"], "en": first["en"], "level": first["level"],
        "kinds": list(dict.fromkeys(r["kind"] for r in rows if r["kind"])),
        "aliases": list(dict.fromkeys(r["alias"] for r in rows if r["alias"])),
        "members": pairs("member", "member_name"), "member_of": pairs("of", "of_name"),
        "belongs_to": pairs("wider", "wider_name"), "includes": pairs("narrower", "narrower_name"),
        "post_in": pairs("post_in", "post_in_name"), "jurisdiction": first["jurisdiction"],
    }


ACTOR_DUTIES = """
SELECT DISTINCT ?actor ?duty ?reason ?via ?via_name ?modality ?action ?kind ?article ?n ?doc ?document ?text WHERE {
  ?attribution pg:attributedTo ?actor ; pg:duty ?duty ; pg:reason ?reason ; pg:via ?via .
  ?via skos:prefLabel ?via_name FILTER(langMatches(lang(?via_name), "zh-Hans"))
  ?duty pg:action ?action ; pg:text ?text ; pg:inDocument ?doc ; prov:wasDerivedFrom/eli:is_part_of* ?art .
  ?art a pg:Article ; eli:number ?article ; pg:ordinal ?n .
  ?doc eli:title ?document .
  VALUES (?class ?modality) { (pg:Obligation "obligation") (pg:Permission "permission")
                              (pg:Prohibition "prohibition") (pg:Right "right") }
  ?duty a ?class .
  OPTIONAL { ?duty pg:responsibilityKind/skos:prefLabel ?kind FILTER(langMatches(lang(?kind), "zh-Hans")) }
} ORDER BY ?document ?n ?duty
"""
# How close a reason is: a duty that reaches an actor several ways is shown with the closest one.
REASON_ORDER = {"direct": 0, "joint": 1, "kind": 2, "all_levels": 3}


def actor_duties(store: Store, ident: str, *, inherited: bool = True) -> list[dict[str, Any]]:
    """An actor's duties, each once, with the closest reason it applies (direct before joint before kind)."""
    iri = node(ACTOR_PREFIX + ident)
    rows = plain(store.select(ACTOR_DUTIES, actor=iri)) if iri else []
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not inherited and r["reason"] != "direct":
            continue
        current = best.get(r["duty"])
        if current is None or REASON_ORDER[r["reason"]] < REASON_ORDER[current["reason"]]:
            best[r["duty"]] = {
                "duty": r["duty"], "reason": r["reason"], "via": r["via_name"], "via_id": actor_id(r["via"]),
                "modality": r["modality"], "action": r["action"], "kind": r["kind"], "article": r["article"],
                "document": r["document"], "document_id": document_id(r["doc"]), "text": r["text"],
                "order": (r["document"], int(r["n"])),
            }
    out = sorted(best.values(), key=lambda d: d["order"])
    for d in out:
        d.pop("order")
    return out


LINK_ARTICLES = """
SELECT ?art ?number ?n ?chapter ?text WHERE {
  ?art pg:inDocument ?doc ; a pg:Article ; eli:number ?number ; pg:ordinal ?n ; pg:text ?text .
  OPTIONAL { ?art eli:is_part_of ?c . ?c a pg:Chapter ; pg:heading ?chapter }
} ORDER BY ?n
"""

# A document's duties found from the document (pg:inDocument), not from each article: from an article, the
# path back from every duty of the store to it was walked again for each article (quadratic in the corpus).
LINK_DUTIES = """
SELECT ?art ?bearer ?modality ?action ?ordinal WHERE {
  ?duty pg:inDocument ?doc ; prov:wasDerivedFrom ?span ; pg:action ?action ; pg:ordinal ?ordinal .
  ?span eli:is_part_of* ?art . ?art a pg:Article .
  VALUES (?class ?modality) { (pg:Obligation "obligation") (pg:Permission "permission")
                              (pg:Prohibition "prohibition") (pg:Right "right") }
  ?duty a ?class .
  OPTIONAL { ?duty pg:bearerText ?bearer }
} ORDER BY ?ordinal
"""


def link_articles(store: Store, doc_iri: str) -> list[Any]:
    """A stored document's articles and duties, as linking needs them."""
    from .link import LinkArticle

    doc = NamedNode(doc_iri)
    out: dict[str, LinkArticle] = {}
    for r in plain(store.select(LINK_ARTICLES, doc=doc)):
        out.setdefault(r["art"], LinkArticle(r["number"], r["chapter"] or "", r["text"]))
    for r in plain(store.select(LINK_DUTIES, doc=doc)):
        if (art := out.get(r["art"])) is not None and (entry := (r["bearer"], r["modality"], r["action"])) \
                not in art.duties:
            art.duties.append(entry)
    return list(out.values())


ALIGNED_MEASURE = """
SELECT ?doc ?measure ?title WHERE {
  ?a pg:inDocument ?doc ; eli:applies ?c . ?c pg:inDocument ?measure . ?measure eli:title ?title .
} LIMIT 1
"""


def aligned_measure(store: Store, doc_id: str) -> dict[str, str] | None:
    """The stored measure a rule's articles are linked to (the version in force at its date), if any."""
    doc = node(DOC_PREFIX + doc_id)
    rows = plain(store.select(ALIGNED_MEASURE, doc=doc)) if doc else []
    return {"id": document_id(rows[0]["measure"]), "title": rows[0]["title"]} if rows else None


LINKABLE = """
SELECT ?doc ?title ?date (GROUP_CONCAT(DISTINCT ?basis; separator="\u001f") AS ?bases)
       (SAMPLE(?first) AS ?opening) WHERE {
  ?doc a pg:Regulation ; eli:title ?title .
  OPTIONAL { ?doc eli:date_document ?date }
  OPTIONAL { ?doc pg:basisTitle ?basis }
  OPTIONAL { ?a a pg:Article ; pg:inDocument ?doc ; pg:ordinal 1 ; pg:text ?first }
} GROUP BY ?doc ?title ?date
"""


@dataclass
class Linkable:
    """What linking needs to know of a stored document: its title, date, basis titles, first article."""

    iri: str
    title: str
    date: str | None
    basis: list[str]
    opening: str


def linkable_documents(store: Store) -> list[Linkable]:
    """Every stored regulation, as linking reads it (the writes are ``link.write``'s)."""
    out = []
    for r in plain(store.select(LINKABLE)):
        bases = [b for b in (r["bases"] or "").split("\u001f") if b]
        out.append(Linkable(r["doc"], r["title"], r["date"], bases, r["opening"] or ""))
    return out
