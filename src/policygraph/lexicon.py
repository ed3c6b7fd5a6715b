"""The actor lexicon (``resources/lexicon.toml``): what is known of a bearer — level, kind, members.

Names are composed from level prefixes and heads (县级 + 党委和政府) or listed
in full (国务院扶贫开发领导小组). ``Lexicon.match`` finds the actor named at a
position of a text, longest name first, with an optional post suffix
(主要负责人) and an optional leading 各 (dropped, except in 各级).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

# Heads of a noun phrase that names a body, for bodies the lexicon does not list.
_FALLBACK_HEADS = (
    "主管部门", "有关部门", "部门", "机关", "单位", "机构", "委员会", "人民政府", "政府", "党委", "党组",
    "企业", "公民", "法人", "组织", "小组", "办公室", "局", "厅", "院", "署", "人员", "负责人", "书记",
    "个人", "合作社", "户", "成员", "者", "人",
)
_FALLBACK_KIND = {
    "政府": "government", "人民政府": "government", "党委": "party_committee", "党组": "party_committee",
    "企业": "enterprise", "公民": "citizen", "负责人": "post", "书记": "post", "人员": "post",
    "小组": "leading_group", "组织": "organisation", "院": "judicial", "个人": "citizen", "户": "citizen",
    "合作社": "organisation", "成员": "post", "者": "organisation", "人": "citizen",
}


@dataclass(frozen=True)
class Actor:
    """A body or post that can bear a duty, as the lexicon knows it."""

    name: str
    level: str | None
    kind: str
    en: str = ""
    members: tuple[str, ...] = ()
    post_of: str | None = None
    aliases: tuple[str, ...] = ()
    known: bool = True  # False for a body found only by its head noun
    generic: bool = False  # stands for every body of a kind (县级政府), not one body
    composed: bool = False  # made of a level prefix and a head, not listed in full

    @property
    def is_joint(self) -> bool:
        return bool(self.members)


@dataclass
class Lexicon:
    """Actor names and their level, kind and members; see ``resources/lexicon.toml``."""

    actors: dict[str, Actor]
    level_labels: dict[str, tuple[str, str]]
    kind_labels: dict[str, tuple[str, str]]
    post_suffixes: tuple[str, ...]
    level_prefixes: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Read a lexicon file (default: the packaged ``resources/lexicon.toml``)."""
        if path:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = resources.files("policygraph").joinpath("resources/lexicon.toml").read_text("utf-8")
        raw = tomllib.loads(text)
        actors: dict[str, Actor] = {}
        prefixes: dict[str, str] = {}
        for level, forms in raw["levels"].items():
            for prefix in forms:
                prefixes[prefix] = level
        for head in raw["heads"]:
            allowed = head.get("prefixes")
            for prefix, level in prefixes.items():
                if allowed and prefix not in allowed:
                    continue
                name = prefix + head["form"].replace("{p}", prefix)
                members = tuple(m.replace("{p}", prefix) for m in head.get("members", ()))
                actors.setdefault(
                    name, Actor(name=name, level=level, kind=head["kind"], members=members, generic=True,
                                composed=True)
                )
        for body in raw["bodies"]:
            actor = Actor(
                name=body["name"],
                level=body.get("level"),
                kind=body["kind"],
                en=body.get("en", ""),
                members=tuple(body.get("members", ())),
                aliases=tuple(body.get("aliases", ())),
                generic=body.get("generic", False),
            )
            actors[actor.name] = actor
            for alias in actor.aliases:
                actors.setdefault(alias, actor)
        return cls(
            actors=actors,
            level_labels={k: tuple(v) for k, v in raw["level_labels"].items()},
            kind_labels={k: tuple(v) for k, v in raw["kind_labels"].items()},
            post_suffixes=tuple(raw["posts"]["suffixes"]),
            level_prefixes=prefixes,
        )

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            names = sorted(self.actors, key=len, reverse=True)
            posts = "|".join(map(re.escape, self.post_suffixes))
            self._pattern = re.compile(
                r"(?:各(?!级))?(?P<name>" + "|".join(map(re.escape, names)) + r")"
                + rf"(?P<post>{posts})?"
            )
        return self._pattern

    def match(self, text: str, pos: int = 0) -> tuple[Actor, int, int] | None:
        """The actor named at ``pos``: (actor, start of its name, end).

        >>> lex = Lexicon.load()
        >>> actor, start, end = lex.match("各民主党派应当")
        >>> actor.name, start, end
        ('民主党派', 1, 5)
        >>> lex.match("县级党委和政府主要负责人是第一责任人")[0].post_of
        '县级党委和政府'
        """
        m = self.pattern.match(text, pos)
        if not m:
            return None
        actor = self.actors[m.group("name")]
        if m.group("post"):
            actor = self.post(actor, m.group("post"))
        return actor, m.start("name"), m.end()

    def post(self, body: Actor, suffix: str) -> Actor:
        name = body.name + suffix
        if name in self.actors:
            return self.actors[name]
        return Actor(name=name, level=body.level, kind="post", post_of=body.name, generic=body.generic)

    def guess(self, phrase: str) -> Actor | None:
        """An actor for a noun phrase the lexicon does not list, from its head and prefix.

        >>> Lexicon.load().guess("县级以上人民政府农业农村主管部门").kind
        'department'
        """
        head = next((h for h in _FALLBACK_HEADS if phrase.endswith(h)), None)
        if head is None or len(phrase) > 40:
            return None
        level = next((lvl for p, lvl in self.level_prefixes.items() if phrase.startswith(p)), None)
        if phrase.startswith(("国务院", "国家", "中央")):
            level = "central"
        return Actor(name=phrase, level=level, kind=_FALLBACK_KIND.get(head, "department"), known=False,
                     generic=True)

    def resolve(self, name: str) -> Actor | None:
        """The actor a whole name denotes, with posts (…主要负责人) composed."""
        m = self.pattern.fullmatch(name)
        if not m:
            return None
        actor = self.actors[m.group("name")]
        return self.post(actor, m.group("post")) if m.group("post") else actor


@cache
def default_lexicon() -> Lexicon:
    """The lexicon in ``data/``, loaded once per process."""
    return Lexicon.load()
