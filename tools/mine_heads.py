"""Mine the national corpus for the heads of the nouns that bear rights and duties.

A noun that is the subject of 有权, 负责, 负有, 享有, 会同 or 履行 names someone who can act: a thing
(规划, 合同, 档案) has no rights and bears no responsibility, while it may well be the subject of
应当 (规划应当包括…). This script reads every law and regulation of ``../shared/corpus/lawrefbook``
(not the judicial interpretations or cases, and not the laws of the extraction gold, so that no
evaluation text decides a head), takes the last word of each clause's subject before a cue, and
counts in how many laws each word is the subject of an agent-only cue. It writes
``src/policygraph/resources/heads.toml``:

``agent_suffixes``: the last characters shared by at least ``--min-words`` nouns that are such a
subject in at least ``--min-laws`` laws each (人, 员, 者, 官…), each with those nouns as evidence.

Run: ``.venv/bin/python tools/mine_heads.py`` (about ten seconds); the output is reviewed data.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from policygraph.words import tagged  # noqa: E402

AGENT_CUES = ("有权", "负责", "负有", "享有", "会同", "履行")
OTHER_CUES = ("应当", "可以", "不得", "必须", "应", "可", "禁止", "严禁")
# Words that end a subject's run: prepositions, adverbs and the like that stand between it and its cue.
BREAKS = ("对", "向", "在", "依照", "按照", "根据", "依据", "依法", "于", "从", "自", "经", "为", "因", "与",
          "同", "通过", "及时", "也", "都", "均", "还", "应该", "不", "并", "已", "另", "就", "由", "将", "把")
NOUN_TAGS = ("n", "nt", "nz", "nr", "j")
SKIPPED_FIELDS = ("司法解释", "案例")
_OPENING = re.compile(r"^(?:第[一二三四五六七八九十百零〇]+条|[（(][一二三四五六七八九十]+[）)])\s*")


def subjects(text: str) -> list[tuple[str, str]]:
    """(the last word of the subject, the cue) for every clause of ``text`` with a subject before a cue."""
    out = []
    for clause in re.split(r"[，,。；;：:！？\n]", text):
        clause = _OPENING.sub("", clause.strip(" *　#>"))
        words = [w for w, _ in tagged(clause)] if clause else []
        for i, word in enumerate(words):
            if word in AGENT_CUES or word in OTHER_CUES:
                j = i
                while j > 0 and words[j - 1] not in BREAKS and words[j - 1] not in AGENT_CUES + OTHER_CUES:
                    j -= 1
                subject = words[j:i]
                if subject and j == 0 and len(subject) <= 8:
                    out.append((subject[-1], word))
                break
    return out


def laws(corpus: Path, skip: set[str]) -> dict[str, str]:
    """Each law's text by its name without the version date (the newest version of each)."""
    texts: dict[str, str] = {}
    for path in sorted(corpus.rglob("*.md")):
        if path.name.startswith("_") or path.relative_to(corpus).parts[0] in SKIPPED_FIELDS:
            continue
        name = re.sub(r"\(.*?\)$", "", path.stem)
        if name not in skip:
            texts[name] = path.read_text(encoding="utf-8")
    return texts


def mine(texts: dict[str, str]) -> dict[str, set[str]]:
    """The laws in which each noun is the subject of an agent-only cue."""
    agent: dict[str, set[str]] = defaultdict(set)
    for name, text in texts.items():
        for head, cue in subjects(text):
            tags = tagged(head)
            if len(head) < 2 or len(tags) != 1 or tags[0][1] not in NOUN_TAGS:
                continue
            if cue in AGENT_CUES:
                agent[head].add(name)
    return agent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "lawrefbook")
    parser.add_argument("--min-laws", type=int, default=2)
    parser.add_argument("--min-words", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "policygraph" / "resources" / "heads.toml")
    args = parser.parse_args()
    gold = {p.stem for half in ("dev", "test") for p in (ROOT / "tests" / "gold" / half).glob("*.tsv")}
    agent = mine(laws(args.corpus, gold))
    words = sorted(w for w, where in agent.items() if len(where) >= args.min_laws)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for w in words:
        by_suffix[w[-1]].append(w)
    suffixes = {c: ws for c, ws in sorted(by_suffix.items()) if len(ws) >= args.min_words}
    print(f"{len(words)} agent nouns; suffixes {' '.join(suffixes)}", file=sys.stderr)
    args.out.write_text(_toml(args, suffixes), encoding="utf-8")


def _toml(args: argparse.Namespace, suffixes: dict[str, list[str]]) -> str:
    lines = [
        "# The last characters of nouns that bear rights and duties, mined from the national corpus by",
        f"# tools/mine_heads.py --min-laws {args.min_laws} --min-words {args.min_words} (the laws of the extraction "
        "gold left out):",
        "# a character is listed when at least --min-words nouns ending in it are the subject of",
        "# 有权/负责/负有/享有/会同/履行 in at least --min-laws laws each. A noun ending in one names an agent",
        "# (监察官 like 法官 and 检察官). Regenerate with that command; reviewed like every data file.",
        "",
        "agent_suffixes = [",
        *(f'  "{c}",  # {" ".join(ws)}' for c, ws in suffixes.items()),
        "]",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
