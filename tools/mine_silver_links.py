"""Mine silver article links from the national corpus: regulations that cite the law they implement.

    .venv/bin/python tools/mine_silver_links.py [--corpus ../shared/corpus/lawrefbook] [--out bench/silver_links.tsv]

A national implementing regulation (X法实施条例, 实施细则, 实施办法, or any document whose title or opening
says it implements a stored law or names it as its basis: 根据《X法》，制定本条例; a law merely cited
elsewhere in the text is not a parent) often cites the parent law's articles explicitly
(依照著作权法第十条的规定…). Each of its articles citing exactly one numbered article of the parent law
is an automatically labelled link (rule article → law article), of the same task as linking a local rule.

The parent law's version is the one in force at the regulation's date (the dates in the file names;
``link.version_in_force``). Pairs where every stored version of the law is later than the regulation are
left out: their citations may use an older numbering. A cited number the version does not have is left out.
Documents whose title contains 实施《 (local implementing rules stored in the national corpus, two of which
are local-dev rules) are never mined, so the silver set is disjoint from the local development gold.

Output: a TSV, one line per link: regulation file, law file (both relative to the corpus), regulation
article, cited law article. The citation text is masked when the set is used (``masked``), so that a
linker must find the link by what the article says. Deterministic: files are read in sorted order.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from policygraph.errors import InputError  # noqa: E402
from policygraph.link.basis import implemented_titles, match_title, measure_title, version_in_force  # noqa: E402
from policygraph.link.citations import _REFS, cited_articles, measure_names  # noqa: E402
from policygraph.pipeline import parse_file  # noqa: E402
from policygraph.structure import Document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"
OUT = ROOT / "bench" / "silver_links.tsv"
_DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_LOCAL_RULE = "实施《"


@dataclass(frozen=True)
class Stored:
    path: str  # relative to the corpus
    title: str
    date: str | None
    document: Document


def read_corpus(corpus: Path) -> list[Stored]:
    out = []
    for path in sorted(corpus.rglob("*.md")):
        if path.name.startswith("_"):
            continue
        try:
            doc = parse_file(path)
        except InputError:
            continue
        m = _DATE_IN_NAME.search(path.name)
        out.append(Stored(str(path.relative_to(corpus)), doc.title, m.group(1) if m else doc.published, doc))
    return out


def masked(text: str, names: Iterable[str]) -> str:
    """The article's text with every citation of the measure's numbered articles removed.

    >>> masked("依照著作权法第十条的规定，处以罚款。", {"著作权法"})
    '依照的规定，处以罚款。'
    """
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True) if n)
    if not alternatives:
        return text
    citation = re.compile(rf"(?:[《〈](?:{alternatives})[》〉]|(?<![《〈])(?:{alternatives}))(?:的?规定)?{_REFS}")
    return citation.sub("", text)


def parent(doc: Stored, by_title: dict[str, list[Stored]]) -> tuple[Stored, bool] | None:
    """The version in force of the stored law the document implements, and whether its numbering is known."""
    opening = " ".join(a.text for a in doc.document.provisions[:3])
    titles = [*implemented_titles(doc.title, opening), *doc.document.basis]
    for title in dict.fromkeys(measure_title(t) for t in titles):
        hit = match_title(title, by_title)
        if hit is None or hit == doc.title:
            continue
        versions = by_title[hit]
        chosen = version_in_force(doc.date, [(v.date, v.path) for v in versions])
        known = any(doc.date and v.date and v.date <= doc.date for v in versions)
        return next(v for v in versions if v.path == chosen), known
    return None


def mine(corpus: Path) -> tuple[list[tuple[str, str, str, str]], dict[str, int]]:
    stored = read_corpus(corpus)
    by_title: dict[str, list[Stored]] = {}
    for s in stored:
        by_title.setdefault(s.title, []).append(s)
    rows: list[tuple[str, str, str, str]] = []
    counts = {"documents": len(stored), "with a stored parent": 0, "older numbering (left out)": 0,
              "citing articles": 0, "several citations (left out)": 0, "cited number absent (left out)": 0}
    for doc in stored:
        if _LOCAL_RULE in doc.title or not (found := parent(doc, by_title)):
            continue
        law, known = found
        counts["with a stored parent"] += 1
        names = measure_names(law.title, " ".join(a.text for a in doc.document.provisions))
        numbers = {a.key for a in law.document.provisions}
        mined = []
        for article in doc.document.provisions:
            cited = cited_articles(article.text, names)
            if not cited:
                continue
            counts["citing articles"] += 1
            if len(cited) > 1:
                counts["several citations (left out)"] += 1
            elif cited[0] not in numbers:
                counts["cited number absent (left out)"] += 1
            else:
                mined.append((doc.path, law.path, article.key, cited[0]))
        if mined and not known:
            counts["older numbering (left out)"] += len(mined)
        elif mined:
            rows += mined
    counts["links"] = len(rows)
    counts["regulations"] = len({r[0] for r in rows})
    return rows, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows, counts = mine(args.corpus)
    header = "# silver links mined by tools/mine_silver_links.py: " + "; ".join(f"{k} {v}" for k, v in counts.items())
    lines = [header, "regulation\tlaw\tregulation_article\tlaw_article", *("\t".join(r) for r in rows)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(header)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
