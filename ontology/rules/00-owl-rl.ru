# OWL 2 RL entailments the ontology declares: subclass, inverse (memberOf, bears), transitive (belongsToKind).
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?x a ?super } }
WHERE {
  GRAPH ?g { ?x a ?class }
  GRAPH <https://w3id.org/policygraph/id/graph/ontology> { ?class rdfs:subClassOf+ ?super }
  FILTER(isIRI(?super))
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?m org:memberOf ?j } }
WHERE { GRAPH <https://w3id.org/policygraph/id/graph/actors> { ?j org:hasMember ?m } } ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?x pg:belongsToKind ?k } }
WHERE { GRAPH <https://w3id.org/policygraph/id/graph/actors> { ?x pg:belongsToKind/pg:belongsToKind+ ?k } } ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?a pg:bears ?d . ?a pg:hasDuty ?d } }
WHERE { GRAPH ?g { ?d pg:bearer ?a } }
