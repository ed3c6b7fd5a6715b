# OWL 2 RL entailments the ontology declares: subclass, inverse (memberOf, bears), transitive (belongsToKind).
# Set semantics: a triple already asserted in any graph is not restated in the inferences graph, so the
# union default graph holds each fact once and counts over it are counts of facts.
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?x a ?super } }
WHERE {
  GRAPH ?g { ?x a ?class }
  # The ontology's closure as a subquery: the same rows, and the form Virtuoso 7 can evaluate (it refuses a
  # transitive path in a GRAPH block when neither end is bound by a constant).
  { SELECT ?class ?super WHERE { GRAPH <https://w3id.org/policygraph/id/graph/ontology> { ?class rdfs:subClassOf+ ?super } } }
  FILTER(isIRI(?super))
  FILTER NOT EXISTS { GRAPH ?h { ?x a ?super } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?m org:memberOf ?j } }
WHERE {
  GRAPH ?g { ?j org:hasMember ?m }
  FILTER NOT EXISTS { GRAPH ?h { ?m org:memberOf ?j } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?x pg:belongsToKind ?k } }
WHERE {
  GRAPH ?g { ?x pg:belongsToKind/pg:belongsToKind+ ?k }
  FILTER NOT EXISTS { GRAPH ?h { ?x pg:belongsToKind ?k } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?a pg:bears ?d } }
WHERE {
  GRAPH ?g { ?d pg:bearer ?a }
  FILTER NOT EXISTS { GRAPH ?h { ?a pg:bears ?d } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?a pg:hasDuty ?d } }
WHERE {
  GRAPH ?g { ?d pg:bearer ?a }
  FILTER NOT EXISTS { GRAPH ?h { ?a pg:hasDuty ?d } }
}
