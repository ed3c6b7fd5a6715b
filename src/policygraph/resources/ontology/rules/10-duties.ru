# Duties reach actors (pg:hasDuty's property chains, with the reason kept):
#   direct      the text names the actor as bearer;
#   joint       the actor is a member of a joint body the duty reaches (省级党委 in 省级党委和政府);
#   kind        the actor belongs to a kind the duty reaches (江北省委 → 省级党委);
#   all_levels  that kind is an 各级 kind (江北省委 → 各级党委).
# The loader repeats this file until nothing new is inserted. A pg:hasDuty already stated in any graph
# is not stated again (set semantics, as in 00-owl-rl.ru); attributions exist only here.
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> {
    ?attr a pg:Attribution ; pg:attributedTo ?a ; pg:duty ?d ; pg:reason "direct" ; pg:via ?a . } }
WHERE {
  GRAPH ?g { ?d pg:bearer ?a }
  BIND(IRI(CONCAT(STR(?a), "/attribution/", SHA1(CONCAT(STR(?d), " direct")))) AS ?attr)
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?m pg:hasDuty ?d } }
WHERE {
  GRAPH ?g { ?j pg:hasDuty ?d }
  GRAPH ?h { ?j org:hasMember ?m }
  FILTER NOT EXISTS { GRAPH ?e { ?m pg:hasDuty ?d } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> {
    ?attr a pg:Attribution ; pg:attributedTo ?m ; pg:duty ?d ; pg:reason "joint" ; pg:via ?j . } }
WHERE {
  GRAPH ?g { ?j pg:hasDuty ?d }
  GRAPH ?h { ?j org:hasMember ?m }
  BIND(IRI(CONCAT(STR(?m), "/attribution/", SHA1(CONCAT(STR(?d), " joint ", STR(?j))))) AS ?attr)
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> { ?x pg:hasDuty ?d } }
WHERE {
  GRAPH ?g { ?k pg:hasDuty ?d }
  GRAPH ?h { ?x pg:belongsToKind ?k }
  FILTER NOT EXISTS { GRAPH ?e { ?x pg:hasDuty ?d } }
} ;
INSERT { GRAPH <https://w3id.org/policygraph/id/graph/inferred> {
    ?attr a pg:Attribution ; pg:attributedTo ?x ; pg:duty ?d ; pg:reason ?reason ; pg:via ?k . } }
WHERE {
  GRAPH ?g { ?k pg:hasDuty ?d }
  GRAPH ?h { ?x pg:belongsToKind ?k }
  OPTIONAL { GRAPH <https://w3id.org/policygraph/id/graph/actors> { ?k pg:level ?level } }
  BIND(IF(BOUND(?level) && ?level = pg:AllLevels, "all_levels", "kind") AS ?reason)
  BIND(IRI(CONCAT(STR(?x), "/attribution/", SHA1(CONCAT(STR(?d), " ", ?reason, " ", STR(?k))))) AS ?attr)
}
