"""The shapes of ``resources/ontology/shapes.ttl`` as SPARQL queries over a document's graph, in pyoxigraph.

pySHACL took about twice the time of building a document (its graph copied into rdflib, then validated in
Python); these queries give the same verdict in a few milliseconds. Each query returns the focus nodes that
violate one constraint of the shapes, as SHACL defines it on a data graph with no inference:

- a target class reaches its instances and those of its subclasses *in the data graph*
  (``rdf:type/rdfs:subClassOf*``), and so does ``sh:class``;
- ``sh:minCount``/``sh:maxCount`` count distinct values (a graph is a set);
- ``sh:in`` requires every value to be in the list; ``sh:qualifiedValueShape [sh:in …]`` with
  ``sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1`` requires exactly one value in it;
- ``sh:or`` of (``pg:bearer`` minCount 1) and (``pg:bearerUnspecified`` hasValue true);
- ``sh:minLength 1`` fails on a blank node and on an empty lexical form; ``sh:datatype rdf:langString``
  requires a literal with a language tag.

``SHAPES_SHA256`` is the shapes file these queries were written for: when the file changes, ``violations``
returns None (the caller falls back to pySHACL) until the queries are brought in line, and a test fails.
``tests/test_shape_checks.py`` checks that pySHACL and these queries agree on the seed, on every violation
the ontology tests inject, and on hundreds of random mutations of real document graphs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox

from .ontology import SHAPES_FILE

SHAPES_SHA256 = "c595cb393d1370ab86418a598102d7c0ca33dc95ac48692a3d4c76abd358b6ee"

_PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_DUTY = ("{ VALUES ?target { pg:Duty pg:Obligation pg:Permission pg:Prohibition pg:Right } "
         "?x rdf:type/rdfs:subClassOf* ?target }")
_ARTICLE = "{ ?x rdf:type/rdfs:subClassOf* pg:Article }"
_DOCUMENT = "{ ?x rdf:type/rdfs:subClassOf* pg:Regulation }"
_MODALITIES = "pg:Obligation pg:Permission pg:Prohibition pg:Right"

# (the shapes' message for it, the focus nodes that violate it)
CHECKS: tuple[tuple[str, str], ...] = (
    ("A duty has exactly one modality (obligation, permission, prohibition or right).",
     f"SELECT DISTINCT ?x WHERE {{ {_DUTY} ?x rdf:type ?t "
     f"FILTER(?t NOT IN (pg:Duty, {_MODALITIES.replace(' ', ', ')})) }}"),
    ("A duty has exactly one modality (obligation, permission, prohibition or right).",
     f"SELECT ?x WHERE {{ {{ SELECT DISTINCT ?x WHERE {_DUTY} }} "
     f"OPTIONAL {{ VALUES ?m {{ {_MODALITIES} }} ?x rdf:type ?m }} }} GROUP BY ?x HAVING(COUNT(DISTINCT ?m) != 1)"),
    ("A duty has a bearer, or says explicitly that it has none (pg:bearerUnspecified true).",
     f"SELECT DISTINCT ?x WHERE {{ {_DUTY} FILTER NOT EXISTS {{ ?x pg:bearer ?b }} "
     "FILTER NOT EXISTS { ?x pg:bearerUnspecified true } }"),
    ("A duty has exactly one non-empty action.",
     f"SELECT ?x WHERE {{ {{ SELECT DISTINCT ?x WHERE {_DUTY} }} OPTIONAL {{ ?x pg:action ?a }} }} "
     "GROUP BY ?x HAVING(COUNT(DISTINCT ?a) != 1)"),
    ("A duty has exactly one non-empty action.",
     f"SELECT DISTINCT ?x WHERE {{ {_DUTY} ?x pg:action ?a "
     "FILTER(isBlank(?a) || STRLEN(STR(?a)) < 1 || !isLiteral(?a) || LANG(?a) = \"\") }"),
    ("A duty names the article (or paragraph, item) it comes from.",
     f"SELECT DISTINCT ?x WHERE {{ {_DUTY} FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s }} }}"),
    ("An article has exactly one number.",
     f"SELECT ?x WHERE {{ {{ SELECT DISTINCT ?x WHERE {_ARTICLE} }} OPTIONAL {{ ?x eli:number ?n }} }} "
     "GROUP BY ?x HAVING(COUNT(DISTINCT ?n) != 1)"),
    ("An article belongs to exactly one document.",
     f"SELECT ?x WHERE {{ {{ SELECT DISTINCT ?x WHERE {_ARTICLE} }} OPTIONAL {{ ?x pg:inDocument ?d }} }} "
     "GROUP BY ?x HAVING(COUNT(DISTINCT ?d) != 1)"),
    ("An article belongs to exactly one document.",
     f"SELECT DISTINCT ?x WHERE {{ {_ARTICLE} ?x pg:inDocument ?d "
     "FILTER NOT EXISTS { ?d rdf:type/rdfs:subClassOf* eli:LegalResource } }"),
    ("A document has a title.",
     f"SELECT DISTINCT ?x WHERE {{ {_DOCUMENT} FILTER NOT EXISTS {{ ?x eli:title ?t }} }}"),
)


@cache
def _current() -> bool:
    return hashlib.sha256(SHAPES_FILE.read_bytes()).hexdigest() == SHAPES_SHA256


def violations(quads: Iterable[ox.Quad]) -> list[str] | None:
    """The shapes' messages for what the graph of ``quads`` (their graph names ignored) violates, sorted: empty
    when it conforms; None when the shapes file is not the one these queries were written for."""
    if not _current():
        return None
    store = ox.Store()
    store.extend(quads)  # as they are: a new quad in the default graph for each took 3 times as long
    merged = [*store.named_graphs(), ox.DefaultGraph()]  # the queries' default graph: every graph merged
    found: set[str] = set()
    for message, query in CHECKS:
        if message not in found and any(True for _ in store.query(_PREFIXES + query,  # type: ignore[union-attr]
                                                                   default_graph=merged)):
            found.add(message)
    return sorted(found)
