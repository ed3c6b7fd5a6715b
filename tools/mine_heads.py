"""Mine the national corpus for the heads of the nouns that bear rights and duties.

A noun that is the subject of 有权, 负责, 负有, 享有, 会同 or 履行 names someone who can act: a thing
(规划, 合同, 档案) has no rights and bears no responsibility, while it may well be the subject of
应当 (规划应当包括…). This script reads every law and regulation of ``../shared/corpus/lawrefbook``
(not the judicial interpretations or cases, and not the laws of the extraction test half, so that no
held-out text decides a head; the development laws count since stop 24, as training data do), takes
the last word of each clause's subject before a cue, and counts in how many laws each word is the
subject of an agent-only cue. It writes ``src/policygraph/resources/heads.toml``:

``agent_suffixes``: the last characters shared by at least ``--min-words`` nouns that are such a
subject in at least ``--min-laws`` laws each (人, 员, 者, 官…), each with those nouns as evidence.

``agent_nouns``: those nouns themselves where they end in such a character (军人, 船长: a word of two
characters is no word + suffix, so only the corpus can tell that it names an agent; 无法, 规定 and the
like, read as subjects where a clause is misread, end in none).

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

from policygraph.heads import AGENT_CUES, is_noun, subjects  # noqa: E402

SKIPPED_FIELDS = ("司法解释", "案例")
# Mined nouns not shipped as agents on their own: far more often a part of a name (中国残疾人联合会及其地方组织,
# 地方各级) or an object (设置专门机构或者专人) than a bearer (a review of stop 22 found both misread).
NOT_ALONE = ("地方", "专人")
# Mined nouns that end in no listed character and name no one: words a misread clause leaves before a cue (无法履行,
# 全面负责, 书后…享有, 属地…负责) or a policy subject (国家, convention 29). Reviewed by hand at stop 24, when the
# nouns of no listed ending were first shipped; every other such noun is an agent (中国人民银行, 用户, 股东, 妇女…).
NOT_AGENTS = ("书后", "人代", "全面", "公正", "国家", "属地", "市级", "无法", "能力", "规定", "部分")


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


def held_out() -> set[str]:
    """The laws of the extraction test half: never counted."""
    return {p.stem for p in (ROOT / "tests" / "gold" / "test").glob("*.tsv")}


def mine(texts: dict[str, str]) -> dict[str, set[str]]:
    """The laws in which each noun is the subject of an agent-only cue."""
    agent: dict[str, set[str]] = defaultdict(set)
    for name, text in texts.items():
        for head, cue in subjects(text):
            if cue in AGENT_CUES and is_noun(head):
                agent[head].add(name)
    return agent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "lawrefbook")
    parser.add_argument("--min-laws", type=int, default=2)
    parser.add_argument("--min-words", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "policygraph" / "resources" / "heads.toml")
    args = parser.parse_args()
    agent = mine(laws(args.corpus, held_out()))
    words = sorted(w for w, where in agent.items() if len(where) >= args.min_laws)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for w in words:
        by_suffix[w[-1]].append(w)
    suffixes = {c: ws for c, ws in sorted(by_suffix.items()) if len(ws) >= args.min_words}
    nouns = [w for w in words if w[-1] in suffixes and w not in NOT_ALONE]
    others = [w for w in words if w[-1] not in suffixes and w not in NOT_AGENTS]
    print(f"{len(words)} agent nouns, {len(nouns)} with a suffix; suffixes {' '.join(suffixes)}", file=sys.stderr)
    args.out.write_text(_toml(args, suffixes, nouns, others), encoding="utf-8")


def _toml(args: argparse.Namespace, suffixes: dict[str, list[str]], nouns: list[str], others: list[str]) -> str:
    lines = [
        "# The last characters of nouns that bear rights and duties, mined from the national corpus by",
        f"# tools/mine_heads.py --min-laws {args.min_laws} --min-words {args.min_words} (the laws of the extraction "
        "test half left out):",
        "# a character is listed when at least --min-words nouns ending in it are the subject of",
        "# 有权/负责/负有/享有/会同/履行 in at least --min-laws laws each. A noun ending in one names an agent",
        "# (监察官 like 法官 and 检察官). Regenerate with that command; reviewed like every data file.",
        "",
        "agent_suffixes = [",
        *(f'  "{c}",  # {" ".join(ws)}' for c, ws in suffixes.items()),
        "]",
        "",
        "# The nouns themselves that end in one of those characters: an agent wherever they end a name, however",
        "# short (军人, 船长).",
        "agent_nouns = [",
        *_rows(nouns),
        "]",
        "",
        "# The mined nouns that end in none of those characters, less the words a misread clause leaves before a",
        "# cue (NOT_AGENTS in tools/mine_heads.py, reviewed): agents too wherever they end a name (中国人民银行).",
        "agent_words = [",
        *_rows(others),
        "]",
        "",
    ]
    return "\n".join(lines)


def _rows(words: list[str]) -> list[str]:
    return [f"  {', '.join(f'{chr(34)}{w}{chr(34)}' for w in words[i:i + 12])}," for i in range(0, len(words), 12)]


if __name__ == "__main__":
    main()
