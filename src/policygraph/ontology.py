"""The ontology's namespaces, stable IRIs, and actor resolution.

IRIs are derived from the document, never from load order, so the same input
gives the same IRIs on every load (Akoma Ntoso eId style)::

    …/id/doc/{slug}                       a document (its named graph too)
    …/id/doc/{slug}/art_10/para_2/item_3  an item
    …/id/doc/{slug}/art_9/duty_2          the second duty read from Art. 9
    …/id/actor/县级政府                     a kind of body, by canonical name
    …/id/actor/江北省委                     a particular body
    …/id/actor/江北省/县（市、区）政府        a kind of body within a jurisdiction
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files

from pyoxigraph import NamedNode

from .lexicon import Actor, Lexicon

# Package data (read with importlib.resources, so an installed wheel has them): the ontology, its
# shapes and its rules in resources/ontology/, stored queries in resources/queries/.
RESOURCES = files("policygraph") / "resources"
ONTOLOGY_DIR = RESOURCES / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "policygraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

PG = "https://w3id.org/policygraph/ontology#"
ID = "https://w3id.org/policygraph/id/"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "pg": PG, "pgid": ID, "eli": ELI, "org": ORG, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL,
}
SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())

ACTORS_GRAPH = NamedNode(ID + "graph/actors")
INFERRED_GRAPH = NamedNode(ID + "graph/inferred")
ONTOLOGY_GRAPH = NamedNode(ID + "graph/ontology")
STATE_GRAPH = NamedNode(ID + "graph/state")  # bookkeeping: whether inferences are stale

MODALITY_CLASS = {"obligation": "Obligation", "permission": "Permission", "prohibition": "Prohibition",
                  "right": "Right"}
KIND_CONCEPT = {
    "overall": "Overall", "primary": "Primary", "first_responsible": "FirstResponsible",
    "foremost": "Foremost", "supervisory": "Supervisory",
}
LEVEL_CONCEPT = {
    "central": "Central", "provincial": "Provincial", "municipal": "Municipal", "county": "County",
    "township": "Township", "village": "Village", "all": "AllLevels", "regional": "Regional",
}
ACTOR_CLASS = {
    "party_committee": "PartyCommittee", "government": "Government", "joint_leadership": "JointLeadership",
    "department": "Department", "leading_group": "LeadingGroup", "leading_group_office": "LeadingGroupOffice",
    "disciplinary": "DisciplinaryBody", "judicial": "JudicialBody", "audit": "AuditBody", "military": "Military",
    "democratic_party": "DemocraticParty", "enterprise": "Enterprise", "social_organisation": "SocialOrganisation",
    "citizen": "Citizen", "region": "Region", "assistance_unit": "AssistanceUnit", "work_team": "WorkTeam",
    "party_organisation": "PartyOrganisation", "organisation": "OtherOrganisation",
}
# Kinds with a canonical kind-of-body per level (县级政府, 省级党委和政府, 各级党委).
_CANONICAL_KINDS = ("party_committee", "government", "joint_leadership")
_RELATIVE_PROVINCIAL = ("省级", "省", "自治区", "直辖市")
_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`#?%/]")


def pg(name: str) -> NamedNode:
    return NamedNode(PG + name)


def slug(text: str) -> str:
    """A readable IRI segment: Chinese kept (IRIs are international), unsafe ASCII replaced.

    >>> slug("中华人民共和国刑法修正案（七） 2009")
    '中华人民共和国刑法修正案（七）_2009'
    """
    return _UNSAFE.sub("_", text.strip()) or "_"


def document_iri(doc_slug: str) -> NamedNode:
    return NamedNode(f"{ID}doc/{doc_slug}")


def actor_iri(name: str, scope: str | None = None) -> NamedNode:
    return NamedNode(f"{ID}actor/{slug(scope) + '/' if scope else ''}{slug(name)}")


@dataclass
class ActorNode:
    """An actor as it goes into the graph: its IRI, label, kind, level and links."""

    iri: NamedNode
    label: str
    kind: str
    level: str | None
    generic: bool
    en: str = ""
    aliases: tuple[str, ...] = ()
    members: list[ActorNode] = field(default_factory=list)
    kinds: list[ActorNode] = field(default_factory=list)  # pg:belongsToKind
    post_in: ActorNode | None = None
    jurisdiction: str | None = None


class ActorResolver:
    """Turns a bearer as named into graph actors, using the document's jurisdiction.

    In a provincial rule of 江北省, 省委 is the particular body 江北省委 (a provincial
    party committee), and 县（市、区）政府 is the kind "county governments in 江北省",
    which belongs to the national kind 县级政府.
    """

    def __init__(self, lexicon: Lexicon, jurisdiction: str | None = None) -> None:
        self.lexicon = lexicon
        self.jurisdiction = jurisdiction
        self._cache: dict[tuple[object, str | bool], ActorNode] = {}

    def resolve(self, actor: Actor, *, scoped: bool = True) -> ActorNode:
        key = (actor.name, scoped)
        if key not in self._cache:
            self._cache[key] = self._resolve(actor, scoped)
        return self._cache[key]

    def resolve_name(self, name: str) -> ActorNode | None:
        actor = self.lexicon.resolve(name)
        return self.resolve(actor) if actor else None

    def canonical(self, level: str, kind: str) -> ActorNode | None:
        """The national kind of body for a level and kind: (county, government) → 县级政府."""
        if kind not in _CANONICAL_KINDS or level not in self.lexicon.level_labels:
            return None
        if level == "central":
            return self.canonical("all", kind)  # 党中央 is one of 各级党委; there is no 中央党委 kind
        name = self.lexicon.level_labels[level][0] + self.lexicon.kind_labels[kind][0]
        key = ("\0canonical", name)
        if key in self._cache:
            return self._cache[key]
        node = ActorNode(actor_iri(name), name, kind, level, generic=True,
                         en=f"{self.lexicon.level_labels[level][1]} {self.lexicon.kind_labels[kind][1]}")
        self._cache[key] = node
        if kind == "joint_leadership":
            node.members = [m for m in (self.canonical(level, "party_committee"),
                                        self.canonical(level, "government")) if m]
        if level != "all" and (wider := self.canonical("all", kind)):
            node.kinds.append(wider)
        return node

    def _resolve(self, actor: Actor, scoped: bool) -> ActorNode:
        j = self.jurisdiction if scoped else None
        particular = bool(j) and actor.level == "provincial" and actor.name.startswith(_RELATIVE_PROVINCIAL)
        if particular and j:
            stem = j.removesuffix("省").removesuffix("自治区").removesuffix("市")
            label = stem + actor.name
            iri = actor_iri(label)
            generic = False
        elif j and actor.generic and actor.level not in (None, "central", "regional"):
            label, iri, generic = actor.name, actor_iri(actor.name, scope=j), True
        else:
            label, iri, generic, j = actor.name, actor_iri(actor.name), actor.generic, None
        node = ActorNode(iri, label, actor.kind, actor.level, generic, en=actor.en, aliases=actor.aliases,
                         jurisdiction=j)
        for member in actor.members:
            found = self.lexicon.resolve(member)
            if found:
                node.members.append(self.resolve(found, scoped=scoped))
        if actor.post_of:
            body = self.lexicon.resolve(actor.post_of)
            if body:
                node.post_in = self.resolve(body, scoped=scoped)
        canon = self.canonical(actor.level, actor.kind) if actor.level else None
        if canon and canon.iri != node.iri:
            node.kinds.append(canon)
        elif canon:
            node.kinds.extend(canon.kinds)  # this name is the canonical kind itself
        elif generic and j and actor.level:
            # A kind within a jurisdiction still falls under the national kind of the same name.
            node.kinds.append(self.resolve(actor, scoped=False))
        if j and actor.level != "all" and actor.kind in _CANONICAL_KINDS:
            # In a provincial rule, 各级党委和政府 means every level of that province.
            every = self.lexicon.resolve(self.lexicon.level_labels["all"][0] + self.lexicon.kind_labels[actor.kind][0])
            if every:
                node.kinds.append(self.resolve(every, scoped=True))
        return node


def jurisdiction_of(title: str, issuers: list[str]) -> str | None:
    """The province (or autonomous region, municipality) a local document belongs to.

    >>> jurisdiction_of("江北省脱贫攻坚责任制实施细则", [])
    '江北省'
    >>> jurisdiction_of("脱贫攻坚责任制实施办法", ["中共中央办公厅"]) is None
    True
    """
    for text in (title, *issuers):
        text = text.removeprefix("中共")
        m = re.match(r"^(.{2,8}?(?:省|自治区|市))(?!场|民|政府|委)", text)
        if m and not text.startswith(("中华人民共和国", "国务院", "中央", "全国")):
            return m.group(1)
    return None
