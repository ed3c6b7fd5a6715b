"""The 40 real local implementing rules of ../shared/corpus/local-dev loaded with every version of their national
laws (PAIRS.tsv) into a real store: eli:based_on and article links for each rule, the version in force, version
links, and the corpus view (stored query, API resource, CSV) against a real server."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal

from policygraph.loader import Loader
from policygraph.queries import get_query
from policygraph.store import LocalStore, open_store, plain

from .conftest import CORPUS
from .servers import policygraph_server

LOCAL = CORPUS / "local-dev"
DOC = "https://w3id.org/policygraph/id/doc/"
VILLAGERS = "中华人民共和国村民委员会组织法_2018-12-29"  # implemented by three stored rules (上海, 浙江, 重庆)

pytestmark = pytest.mark.skipif(not LOCAL.exists(), reason=f"{LOCAL} is absent (../shared not beside the project)")


def _pairs() -> dict[str, list[str]]:
    rows = (LOCAL / "PAIRS.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {a: b.split(";") for a, b in (r.split("\t") for r in rows if r.strip())}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pairs = _pairs()
    laws = sorted({f for files in pairs.values() for f in files})
    path = tmp_path_factory.mktemp("local-dev") / "store"
    store = open_store(path)
    report = Loader(store).load([*(LOCAL / r for r in sorted(pairs)), *(CORPUS / f for f in laws)])
    assert not report.failed, [f.error for f in report.failed]
    assert report.summary()["documents"] == len(pairs) + len(laws)
    store.close()
    yield path


COUNTS = """
SELECT ?rule ?title (COUNT(DISTINCT ?measure) AS ?based_on) (COUNT(DISTINCT ?link) AS ?links) WHERE {
  ?rule a pg:Regulation ; eli:title ?title .
  OPTIONAL { ?rule eli:based_on ?measure }
  OPTIONAL { ?link a pg:ArticleLink ; pg:linkFrom/pg:inDocument ?rule }
} GROUP BY ?rule ?title
"""


def test_every_rule_gets_based_on_and_article_links(corpus_store: Path) -> None:
    store = LocalStore(str(corpus_store), read_only=True)
    counts = {r["rule"]: r for r in plain(store.select(COUNTS))}
    rules = [r for r in counts.values() if "实施" in r["title"] and not r["rule"].startswith(DOC + "中华人民共和国")]
    assert len(rules) == 40
    for r in sorted(rules, key=lambda r: r["title"]):
        print(f"{r['title']}: based_on {r['based_on']}, article links {r['links']}")
    assert all(int(r["based_on"]) >= 1 for r in rules)
    assert all(int(r["links"]) >= 5 for r in rules)
    print(f"based_on {sum(int(r['based_on']) >= 1 for r in rules)}/40, article links "
          f"{sum(int(r['links']) for r in rules)} over {sum(int(r['links']) >= 1 for r in rules)}/40 rules")
    store.close()


def test_based_on_is_the_version_in_force_and_versions_are_linked(corpus_store: Path) -> None:
    store = LocalStore(str(corpus_store), read_only=True)
    based = {(r["rule"].removeprefix(DOC), r["m"].removeprefix(DOC))
             for r in plain(store.select("SELECT ?rule ?m WHERE { ?rule eli:based_on ?m }"))}
    # 2020 rule: the 2012 version was in force (2024 came later); a 1996 rule predates both: the earliest.
    zhejiang = "浙江省实施《中华人民共和国农业技术推广法》办法_2020-09-24"
    assert (zhejiang, "中华人民共和国农业技术推广法_2012-08-31") in based
    assert ("北京市实施《中华人民共和国保守国家秘密法》若干规定", "中华人民共和国保守国家秘密法_2010-04-29") in based
    assert not any(m.endswith("_2024-04-26") and "农业技术推广法" in m for _, m in based)
    versions = plain(store.select("SELECT ?v ?d WHERE { ?w eli:is_realized_by ?v ; eli:title ?t . "
                                  "?v eli:version_date ?d FILTER(STR(?t) = '中华人民共和国农业技术推广法') }"))
    assert sorted(r["d"] for r in versions) == ["2012-08-31", "2024-04-26"]
    store.close()


def test_corpus_view_query_api_and_csv_agree(corpus_store: Path) -> None:
    store = LocalStore(str(corpus_store), read_only=True)
    _, rows = get_query("implementations").run(store, {"measure": "中华人民共和国村民委员会组织法"})
    _, added = get_query("implementations-added").run(store, {"measure": "中华人民共和国村民委员会组织法"})
    store.close()
    rows += [{**r, "status": Literal("new")} for r in added]
    mine = [r for r in rows if r["measure"].value == DOC + VILLAGERS]  # type: ignore[union-attr]
    rules = {r["rule_title"].value for r in mine}  # type: ignore[union-attr]
    assert len(rules) == 3 and all(t.startswith(("上海市", "浙江省", "重庆市")) for t in rules)
    statuses = {r["status"].value for r in mine}  # type: ignore[union-attr]
    assert {"carried over", "changed", "absent", "new"} <= statuses
    with policygraph_server(corpus_store) as base:
        data = httpx.get(f"{base}/api/documents/{VILLAGERS}/implementations", timeout=60).json()
        assert {r["title"] for r in data["rules"]} == rules
        n_articles = len(data["articles"])
        for rule in data["rules"]:
            assert rule["carried_over"] + rule["changed"] + rule["absent"] == rule["articles"] == n_articles
            assert 0 < rule["coverage"] <= 1
            expected_new = {r["article"].value for r in mine  # type: ignore[union-attr]
                            if r["rule_title"].value == rule["title"] and r["status"].value == "new"}  # type: ignore[union-attr]
            assert set(rule["new_articles"]) == expected_new
        answer = httpx.get(f"{base}/api/documents/{VILLAGERS}/implementations.csv", timeout=60)
        assert answer.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(answer.text)))
        assert table[0][0] == "article" and len(table[0]) == 4 and len(table) == n_articles + 3
        assert all(re.match(r"(carried over|changed|absent)", cell) for row in table[1:-2] for cell in row[1:])
        missing = httpx.get(f"{base}/api/documents/no-such-document/implementations", timeout=60)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
