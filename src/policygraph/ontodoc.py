"""Human-readable documentation of the ontology, generated from ``resources/ontology/policygraph.ttl``.

Every term with its Chinese and English labels, its definition and its axioms
(superclasses, domain, range, inverse, property chains), grouped as classes,
object properties, datatype properties and named individuals, with anchors so
a term's IRI fragment links to its entry.

>>> html = render()
>>> "pg:hasDuty" in html and "负有职责" in html
True
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources.abc import Traversable

from .ontology import ONTOLOGY_FILE, PREFIXES

_GROUPS = [
    ("Class", "类 Classes"),
    ("ObjectProperty", "对象属性 Object properties"),
    ("DatatypeProperty", "数据属性 Datatype properties"),
    ("NamedIndividual", "个体 Named individuals"),
]


def _short(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    for prefix, ns in (("lrml", "http://docs.oasis-open.org/legalruleml/ns/v1.0/"),
                       ("sh", "http://www.w3.org/ns/shacl#")):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@cache
def render(path: Traversable = ONTOLOGY_FILE) -> str:
    """The ontology as one HTML page."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    g = rdflib.Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")
    pg = PREFIXES["pg"]

    def literal(s: rdflib.term.Node, p: rdflib.term.Node, lang: str) -> str:
        return next((str(o) for o in g.objects(s, p) if getattr(o, "language", None) == lang), "")

    def link(node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.BNode):
            items = list(g.items(node))
            if items:
                return "( " + " ∘ ".join(link(i) for i in items) + " )"
            return "[]"
        short = _short(str(node))
        return f'<a href="#{escape(short)}">{escape(short)}</a>' if str(node).startswith(pg) else escape(short)

    sections = []
    for kind, title in _GROUPS:
        if kind == "NamedIndividual":
            terms = sorted({s for s in g.subjects(RDF.type, None) if str(s).startswith(pg)
                            and not set(g.objects(s, RDF.type)) & {OWL.Class, OWL.ObjectProperty,
                                                                 OWL.DatatypeProperty, OWL.AnnotationProperty}},
                           key=str)
        else:
            terms = sorted((s for s in g.subjects(RDF.type, OWL[kind]) if str(s).startswith(pg)), key=str)
        rows = []
        for t in terms:
            short = _short(str(t))
            axioms = []
            for label, predicate in [("⊑", RDFS.subClassOf), ("⊑", RDFS.subPropertyOf), ("domain", RDFS.domain),
                                     ("range", RDFS.range), ("inverse of", OWL.inverseOf),
                                     ("chain", OWL.propertyChainAxiom), ("a", RDF.type)]:
                if predicate == RDF.type and kind != "NamedIndividual":
                    continue
                values = [link(o) for o in g.objects(t, predicate)]
                if values:
                    axioms.append(f"{label} {', '.join(values)}")
            rows.append(
                f'<tr id="{escape(short)}"><td><code>{escape(short)}</code></td>'
                f"<td>{escape(literal(t, RDFS.label, 'zh-Hans'))}<br>"
                f"<small>{escape(literal(t, RDFS.label, 'en'))}</small></td>"
                f"<td>{escape(literal(t, SKOS.definition, 'zh-Hans'))}<br>"
                f"<small>{escape(literal(t, SKOS.definition, 'en'))}</small></td>"
                f"<td>{'<br>'.join(axioms)}</td></tr>")
        sections.append(f"<h2>{title}（{len(terms)}）</h2><table><tr><th>term</th><th>label</th><th>definition</th>"
                        f"<th>axioms</th></tr>{''.join(rows)}</table>")
    ontology = rdflib.URIRef(pg.rstrip("#"))
    head = (f"<h1>{escape(literal(ontology, RDFS.label, 'zh-Hans'))} "
            f"<small>{escape(literal(ontology, RDFS.label, 'en'))}</small></h1>"
            f"<p>{escape(literal(ontology, SKOS.definition, 'zh-Hans'))}<br>"
            f"{escape(literal(ontology, SKOS.definition, 'en'))}</p>"
            f"<p>Namespace <code>{escape(pg)}</code> · <a href=\"/ontology.ttl\">Turtle</a> · reuses ELI, W3C ORG, "
            "PROV-O, SKOS, DCTERMS and LegalRuleML terms.</p>")
    style = ("body{font:15px/1.55 system-ui,'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:1rem auto;"
             "max-width:80rem;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid "
             "#ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}small{color:#667}"
             "tr:target{background:#fff8d0}")
    return (f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>policygraph ontology</title><style>{style}</style>'
            f"</head><body>{head}{''.join(sections)}</body></html>")
