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
import re
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
_STRINGS_IRIS_COMMENTS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                                    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


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


def uses_service(query: str) -> bool:
    """Whether a query calls SERVICE (outside strings, IRIs and comments).

    >>> uses_service('SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }'), uses_service('SELECT ("SERVICE" AS ?x) {}')
    (True, False)
    """
    return bool(_SERVICE.search(_STRINGS_IRIS_COMMENTS.sub(" ", query)))


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


def _term_xml(term: Any) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term.value) if hasattr(term, "value") else str(term)


def serialize_select(variables: list[str], rows: list[list[Any]], fmt: str, *, truncated: bool = False) -> bytes:
    """SPARQL results (JSON, XML, CSV or TSV) for solutions given as lists of terms (None = unbound)."""
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        doc: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            doc["truncated"] = True  # an extension; clients ignore unknown keys
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                 for v, t in zip(variables, row, strict=True) if t is not None) + "</result>"
            for row in rows)
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
                f"<results>{body}</results></sparql>").encode()
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([[_term_csv(t) for t in row] for row in rows])
    else:  # tsv: terms in SPARQL/Turtle syntax
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return out.getvalue().encode()


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
