"""Linking an implementing rule to its measure: basis titles, alignment, comparison, variants, chains."""

from __future__ import annotations

from pathlib import Path

import httpx
import opencc
import pytest

from policygraph.extract import Extractor
from policygraph.link import Alignment, LinkArticle, align, articles_of, compare, find_basis, measure_title
from policygraph.loader import Loader
from policygraph.normalize import normalize_text
from policygraph.pipeline import parse_file
from policygraph.queries import get_query
from policygraph.store import LocalStore, open_store
from policygraph.structure import parse

from .conftest import CORPUS
from .servers import policygraph_server

MEASURE = "脱贫攻坚责任制实施办法"


@pytest.mark.parametrize(
    "title",
    [
        "脱贫攻坚责任制实施办法",
        "《脱贫攻坚责任制实施办法》",
        "中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知",
        "中共中央办公厅、国务院办公厅关于印发《脱贫攻坚责任制实施办法》的通知",
        "脱贫攻坚责任制实施办法（厅字〔2016〕33号）",
        "脱贫攻坚责任制实施办法(厅字〔2016〕33号)",
    ],
)
def test_measure_titles_written_differently(title: str) -> None:
    assert measure_title(title) == MEASURE


@pytest.mark.parametrize(
    "first_article",
    [
        "根据《中共中央办公厅、国务院办公厅关于印发〈脱贫攻坚责任制实施办法〉的通知》，制定本细则。",
        "根据中共中央办公厅、国务院办公厅印发的《脱贫攻坚责任制实施办法》，结合本省实际，制定本细则。",
        "根据《脱贫攻坚责任制实施办法》（厅字〔2016〕33号），制定本细则。",
    ],
)
def test_basis_found_however_it_is_written(first_article: str) -> None:
    rule = parse(normalize_text(f"某省脱贫攻坚责任制实施细则\n第一条　{first_article}\n第二条　省委负责。\n"))
    assert find_basis(rule, {MEASURE: "doc/measure", "其他文件": "doc/other"}) == ["doc/measure"]


def _expected() -> dict[str, list[str]]:
    rows = {}
    for line in (CORPUS / "jiangbei-alignment.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        rows[cells[0]] = [c for c in cells[1].split(",") if c]
    return rows


def _agreement(alignments: list[Alignment]) -> int:
    expected = _expected()
    return sum((a.central_article is None and not expected[a.article]) or a.central_article in expected[a.article]
               for a in alignments)


@pytest.fixture(scope="module")
def central(seed_path: Path) -> list[LinkArticle]:
    doc = parse_file(seed_path)
    return articles_of(doc, Extractor().extract(doc))


def _rule(text: str) -> list[LinkArticle]:
    doc = parse(normalize_text(text))
    return articles_of(doc, Extractor().extract(doc))


# A regression floor (16 of 20 top-1 agreements), not the figure measured (17 of 20).
JIANGBEI_FLOOR = 16


@pytest.fixture(scope="module")
def jiangbei_text(jiangbei_path: Path) -> str:
    return jiangbei_path.read_text(encoding="utf-8")


def test_alignment_agrees_with_a_careful_reader(central: list[LinkArticle], jiangbei_text: str) -> None:
    alignments = align(_rule(jiangbei_text), central, measure_title=MEASURE)
    agreed = _agreement(alignments)
    print(f"\njiangbei alignment: {agreed}/20 top-1 agreement")
    # Was 18/20 when the weights were set on this pair. Issue 13 removed the rule made for it ("bearers the
    # measure has no counterpart for → halve", which wrongly called 14 articles new on real rules) and
    # calibrated the new-content threshold on the development gold instead: Art. 12 (township level, new)
    # now goes to the county article it copies (Art. 15), and Art. 13/14 stay new (semantic links): 17/20 when
    # this was written. Jiangbei is a regression case, not where weights are set: the floor sits below it.
    assert agreed >= JIANGBEI_FLOOR
    by = {a.article: a for a in alignments}
    assert by["10"].central_article in {"14", "15", "19"} and set(by["10"].secondary) <= {"14", "15", "19"}
    assert (by["1"].evidence, by["19"].evidence, by["20"].central_article) == ("purpose", "interpretation", "29")


def test_comparison_reports_changes_and_gaps(central: list[LinkArticle], jiangbei_text: str) -> None:
    rule = _rule(jiangbei_text)
    report = compare(rule, central, align(rule, central))
    pair16 = next(p for p in report["pairs"] if p["article"] == "16")
    assert {(c["from"], c["to"]) for c in pair16["modality_changed"]} == {("obligation", "permission")}
    new = {a.article for a in align(rule, central) if a.central_article is None}
    assert new and {n["article"] for n in report["new_articles"]} == new
    missing = {g["central_article"]: g for g in report["not_carried_over"]}
    linked = {n for a in align(rule, central) for n in (a.central_article, *a.secondary)}
    assert {"20", "23"} <= set(missing) and not set(missing) & linked  # what no rule article links to
    assert missing["4"]["central_only"] and not missing["20"]["central_only"]
    pair11 = next(p for p in report["pairs"] if p["article"] == "11")
    assert "挤占挪用扶贫资金" in {d["action"] for d in pair11["added"]}  # a prohibition the province added


@pytest.mark.parametrize(
    "variant",
    ["traditional", "chapter 省级责任", "chapter 自治区负总责"],
)
def test_variants_of_real_forms(central: list[LinkArticle], jiangbei_text: str, variant: str) -> None:
    if variant == "traditional":
        text = opencc.OpenCC("s2t").convert(jiangbei_text)
    else:
        heading = variant.split()[1]
        text = jiangbei_text.replace("第二章　省负总责", f"第二章　{heading}")
        if heading.startswith("自治区"):
            text = text.replace("省委、省政府", "自治区党委、政府")
            text = text.replace("省扶贫开发领导小组", "自治区扶贫开发领导小组")
    assert _agreement(align(_rule(text), central, measure_title=MEASURE)) >= JIANGBEI_FLOOR


CITY = """江城市脱贫攻坚责任制实施细则
第一章　总　则
第一条　为落实脱贫攻坚责任制，根据《江北省脱贫攻坚责任制实施细则》，结合本市实际，制定本细则。
第二章　市负总责
第二条　市委、市政府对全市脱贫攻坚工作负总责，确保责任制层层落实。
第三条　县（市、区）党委和政府承担脱贫攻坚主体责任。
第四条　本细则自印发之日起施行。
"""


@pytest.fixture(scope="module")
def linked_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, jiangbei_path: Path) -> Path:
    path = tmp_path_factory.mktemp("linked")
    city = path / "city.txt"
    city.write_text(CITY, encoding="utf-8")
    store = open_store(path / "store")
    report = Loader(store).load([city, jiangbei_path, seed_path])  # order does not matter
    assert not report.failed and report.linked == 2
    store.close()
    return path / "store"


def test_a_city_rule_chains_to_the_central_measure(linked_store: Path) -> None:
    store = LocalStore(str(linked_store), read_only=True)
    _, rows = get_query("implementing-documents").run(store, {"measure": MEASURE})
    assert [(r["document"].value, r["depth"].value) for r in rows] == [  # type: ignore[union-attr]
        ("江北省脱贫攻坚责任制实施细则", "1"), ("江城市脱贫攻坚责任制实施细则", "2")]


def _new(central: list[LinkArticle], jiangbei_text: str) -> set[str]:
    """The rule's articles the linker finds no counterpart for (what the store's links must say)."""
    return {a.article for a in align(_rule(jiangbei_text), central, measure_title=MEASURE) if a.central_article is None}


def test_gaps_query(linked_store: Path, central: list[LinkArticle], jiangbei_text: str) -> None:
    store = LocalStore(str(linked_store), read_only=True)
    _, rows = get_query("gaps").run(store, {"rule": "江北省脱贫攻坚责任制实施细则"})
    gaps = {(r["gap"].value, r["article"].value) for r in rows}  # type: ignore[union-attr]
    assert {a for g, a in gaps if g == "new"} == _new(central, jiangbei_text) != set()
    assert {("not carried over", n) for n in ("20", "23")} <= gaps


def test_links_and_comparison_api(linked_store: Path, central: list[LinkArticle], jiangbei_text: str) -> None:
    with policygraph_server(linked_store) as base:
        links = httpx.get(base + "/api/links", params={"document": "江北省脱贫攻坚责任制实施细则"}).json()
        assert links["based_on"]["title"] == MEASURE
        assert {row["article"]: row["central_article"] for row in links["links"]}["9"] == "13"
        comparison = httpx.get(base + "/api/documents/江北省脱贫攻坚责任制实施细则/comparison").json()
        assert {n["article"] for n in comparison["new_articles"]} == _new(central, jiangbei_text)
        article = httpx.get(base + "/api/documents/江北省脱贫攻坚责任制实施细则/articles/9").json()
        assert [(link["direction"], link["article"]) for link in article["links"]] == [("applies", "13")]
        assert article["links"][0]["score"] > 0.5


def test_link_refuses_a_file_with_no_provisions_like_load(tmp_path: Path, seed_path: Path) -> None:
    import subprocess
    import sys

    news = tmp_path / "news.txt"
    news.write_text("这是一则新闻，没有条文。\n只有一段话。\n", encoding="utf-8")
    cli = Path(sys.executable).parent / "policygraph"
    for args in ([str(news), "--to", str(seed_path)], [str(seed_path), "--to", str(news)],
                 [str(news), "--store", str(tmp_path / "store")]):
        done = subprocess.run([str(cli), "link", *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and "no provisions found" in done.stderr
