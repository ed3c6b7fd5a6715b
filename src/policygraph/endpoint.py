"""SPARQL 1.1 Protocol details: content negotiation, result serialisation, the service description.

>>> negotiate("application/sparql-results+xml;q=0.5, text/csv", SELECT_TYPES)
'text/csv'
>>> negotiate(None, SELECT_TYPES)
'application/sparql-results+json'
>>> negotiate("image/png", SELECT_TYPES) is None
True
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}
CONTENT_TYPE = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = frozenset(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") | {"\ufffe", "\uffff"}


class Refused(Exception):
    """A request the server will not run, with the status and code it is answered with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges by preference: q-values first, then specificity, then order."""
    if not header:
        return []
    ranges = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, index))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(m, q) for m, q, _, _ in ranges if q > 0]


def negotiate(header: str | None, offered: dict[str, Any]) -> str | None:
    """The offered media type the Accept header prefers (the first offered one if it has no preference)."""
    ranges = parse_accept(header)
    if not ranges:
        return next(iter(offered))
    for media, _ in ranges:
        if media == "*/*":
            return next(iter(offered))
        if media.endswith("/*"):
            major = media[:-1]
            match = next((o for o in offered if o.startswith(major)), None)
            if match:
                return match
        elif media in offered:
            return media
    return None


def check_nesting(text: str, limit: int) -> None:
    """Refuse text whose brackets nest deeper than ``limit`` (a linear scan, before any parser sees it).

    Brackets inside strings and comments count too, so the depth is never underestimated for an opening
    bracket; a closing one inside a string can lower it, which is why the engine's own parser is also
    tried in a worker process before an update runs.

    >>> check_nesting("SELECT * { { ?s ?p ?o } }", 5)
    >>> check_nesting("{" * 6, 5)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    policygraph.endpoint.Refused: brackets nest deeper than 5 levels
    """
    depth = deepest = 0
    for char in text:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]" and depth:
            depth -= 1
    if deepest > limit:
        raise Refused(400, "too_deep", f"brackets nest deeper than {limit} levels")


def _walk(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree (CompValue nodes are dicts; lists hold the rest)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def parse_tree(text: str, *, update: bool) -> Any:
    """rdflib's parse tree of a query or update; Refused (400) when it cannot be read."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseUpdate(text) if update else parseQuery(text)
    except ParseBaseException as exc:
        raise Refused(400, "bad_update" if update else "bad_query", f"cannot parse: {exc.msg} at {exc.lineno}:"
                      f"{exc.col}") from None
    except RecursionError:
        raise Refused(400, "too_deep", "nested too deeply to parse") from None


def remote_calls(tree: Any) -> list[tuple[str, str | None]]:
    """The SERVICE and LOAD operations in a parse tree: (keyword, IRI or None when it is not a plain IRI).

    >>> remote_calls(parse_tree("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", update=False))
    [('SERVICE', 'http://x/')]
    >>> remote_calls(parse_tree("LOAD <http://y/> ; INSERT DATA { <a:b> <a:c> 1 }", update=True))
    [('LOAD', 'http://y/')]
    """
    from rdflib import URIRef

    calls = []
    for node in _walk(tree):
        if node.name in ("ServiceGraphPattern", "Load"):
            target = dict.get(node, "term" if node.name == "ServiceGraphPattern" else "iri")
            calls.append(("SERVICE" if node.name == "ServiceGraphPattern" else "LOAD",
                          str(target) if isinstance(target, URIRef) else None))
    return calls


def refuse_remote(tree: Any, allowed: frozenset[str]) -> None:
    """Refuse SERVICE or LOAD to any endpoint not named in ``allowed`` (the message names none)."""
    for keyword, iri in remote_calls(tree):
        if iri is None or iri not in allowed:
            raise Refused(400, "service_refused", f"{keyword} to other endpoints is refused by this server"
                          + ("" if allowed else " (none is allowed)"))


def reads_empty_default_graph(tree: Any) -> bool:
    """Whether an update's WHERE (or DELETE WHERE) matches triples in the store's real default graph,
    which is empty here: all data is in named graphs (queries see their union; updates do not).

    >>> reads_empty_default_graph(parse_tree("DELETE WHERE { ?s <a:b> ?o }", update=True))
    True
    >>> reads_empty_default_graph(parse_tree("DELETE WHERE { GRAPH ?g { ?s <a:b> ?o } }", update=True))
    False
    """
    for node in _walk(tree):
        if node.name == "DeleteWhere" and dict.get(dict.get(node, "quads") or {}, "triples"):
            return True
        if node.name == "Modify" and not dict.get(node, "using") and dict.get(node, "withClause") is None \
                and _default_graph_triples(dict.get(node, "where")):
            return True
    return False


def _default_graph_triples(pattern: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [pattern]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "GraphGraphPattern":
                continue  # inside GRAPH: reads a named graph
            if node.name == "TriplesBlock" and dict.get(node, "triples"):
                return True
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return False


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),  # type: ignore[dict-item]
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise TypeError(term)


def _xml_text(value: str) -> str:
    if not _NOT_XML.isdisjoint(value):
        raise Refused(406, "not_acceptable", "a result holds a control character, which XML 1.0 cannot carry; "
                      "ask for JSON, CSV or TSV")
    return escape(value)


def _term_xml(term: Any) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term.value) if hasattr(term, "value") else str(term)


def _row_text(variables: list[str], row: list[Any], fmt: str) -> str:
    if fmt == "json":
        binding = {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        return json.dumps(binding, ensure_ascii=False, separators=(",", ":"))
    if fmt == "xml":
        return "<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                    for v, t in zip(variables, row, strict=True) if t is not None) + "</result>"
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow([_term_csv(t) for t in row])
        return out.getvalue()
    return "\t".join("" if t is None else str(t) for t in row) + "\n"  # tsv: terms in SPARQL/Turtle syntax


def _frame(variables: list[str], fmt: str, truncated: bool) -> tuple[str, str, str]:
    """Head, separator between rows, and tail of a results document."""
    if fmt == "json":
        tail = "]}" + (',"truncated":true' if truncated else "") + "}"  # an extension; clients ignore it
        return '{"head":{"vars":' + json.dumps(variables, ensure_ascii=False) + '},"results":{"bindings":[', ",", tail
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
                "<results>", "", "</results></sparql>")
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(variables)
        return out.getvalue(), "", ""
    return "\t".join(f"?{v}" for v in variables) + "\n", "", ""


def serialize_select(variables: list[str], rows: Iterable[list[Any]], fmt: str, *, max_rows: int = 10**9,
                     max_bytes: int = 10**12) -> tuple[bytes, int, bool]:
    """SPARQL results (JSON, XML, CSV or TSV) for solutions given as lists of terms (None = unbound), read
    lazily and cut at ``max_rows`` rows or ``max_bytes`` bytes: (body, rows written, truncated).

    >>> body, n, cut = serialize_select(["x"], ([Literal(str(i))] for i in range(100)), "json", max_bytes=200)
    >>> json.loads(body)["truncated"], n, len(body) <= 200
    (True, 3, True)
    """
    head, sep, _ = _frame(variables, fmt, True)
    budget = max_bytes - len(head.encode()) - len(_frame(variables, fmt, True)[2])
    parts: list[bytes] = []
    truncated = False
    for row in rows:
        if len(parts) == max_rows:
            truncated = True
            break
        piece = ((sep if parts else "") + _row_text(variables, row, fmt)).encode()
        budget -= len(piece)
        if budget < 0:
            truncated = True
            break
        parts.append(piece)
    head, _, tail = _frame(variables, fmt, truncated)
    return head.encode() + b"".join(parts) + tail.encode(), len(parts), truncated


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return b"_askResult\r\n" + (b"true" if value else b"false") + b"\r\n"


def service_description(endpoint: str, *, updates: bool) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    features = ["sd:UnionDefaultGraph", "sd:BasicFederatedQuery"][:1]
    languages = ["sd:SPARQL11Query", *(["sd:SPARQL11Update"] if updates else [])]
    results = ["http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
               "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
               "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
               "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/JSON-LD"]
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"[] a sd:Service ;\n  sd:endpoint <{endpoint}> ;\n"
        f"  sd:supportedLanguage {', '.join(languages)} ;\n"
        f"  sd:feature {', '.join(features)} ;\n"
        f"  sd:resultFormat {', '.join(f'<{r}>' for r in results)} ;\n"
        '  rdfs:label "policygraph SPARQL endpoint"@en , "policygraph SPARQL 查询端点"@zh-Hans ;\n'
        "  sd:defaultDataset [ a sd:Dataset ; rdfs:comment \"The default graph is the union of all named graphs: "
        "one per document, plus actors, ontology and inferences.\"@en ] .\n"
    )
