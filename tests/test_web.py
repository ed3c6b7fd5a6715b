"""The web page in the machine's Chromium, driven by Playwright, against a real server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import CORPUS
from .servers import policygraph_server, store_with

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from calling home (this machine has no network but loopback).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seed_path: Path, jiangbei_path: Path) -> Iterator[str]:
    store_dir = store_with(tmp_path_factory.mktemp("web") / "store", seed_path, jiangbei_path)
    with policygraph_server(store_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it (Debian package chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


REQUESTS: list[str] = []


@pytest.fixture
def page(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("request", lambda r: REQUESTS.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.screenshot(path=str(tmp_path / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == []


def test_ask_shows_county_government_first(page: Page, server: str) -> None:
    page.goto(f"{server}/#/ask")
    page.fill("input[name=q]", "谁负责扶贫资金管理监督？")
    page.click("button[type=submit]")
    first = page.locator("#results section.body").first
    first.wait_for()
    assert first.get_attribute("data-actor") == "县级政府"
    assert "对扶贫资金管理监督负首要责任" in first.inner_text()
    assert first.locator(".badge.obligation").first.inner_text() == "应当"
    assert "#/ask?q=" in page.url  # the result has a shareable URL


def test_article_19_highlights_its_duties(page: Page, server: str) -> None:
    page.goto(f"{server}/#/doc/脱贫攻坚责任制实施办法/art/19")
    page.locator(".article-text mark").first.wait_for()
    marks = page.locator(".article-text mark")
    assert [marks.nth(i).get_attribute("data-duty") for i in range(marks.count())] == [
        "建立扶贫项目库", "整合财政涉农资金", "建立健全扶贫资金项目信息公开制度", "对扶贫资金管理监督负首要责任"]
    page.click("button.toggle")
    assert page.locator(".article-text").inner_text().startswith("縣級(jí)政府應(yīng)當(dāng)")


def test_county_government_shows_inherited_duties_with_reason(page: Page, server: str) -> None:
    page.goto(f"{server}/#/actor/县级政府")
    rows = page.locator("tr[data-reason=joint]")
    rows.first.wait_for()
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    for article in range(14, 19):
        assert any(f"第{article}条" in t and "县级党委和政府" in t and "联合主体" in t for t in texts), article
    assert page.locator(".levels span.here").inner_text() == "县级"


def test_stored_query_runs_and_downloads_csv(page: Page, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/#/sparql")
    page.click("a[data-query=duties-of-actor]")
    page.fill("input[data-param=actor]", "县级政府")
    page.click("#run")
    page.locator("#result-table tr").nth(1).wait_for()
    assert "县级党委和政府" in page.locator("#result-table").inner_text()
    with page.expect_download() as download:
        page.click("#csv")
    saved = tmp_path / "results.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("actor_param,reason,via") and len(lines) > 20
    assert "share" in page.locator("#share").get_attribute("id")  # type: ignore[operator]
    assert "actor=%E5%8E%BF" in (page.locator("#share").get_attribute("href") or "")


def test_sparql_errors_are_shown_plainly(page: Page, server: str) -> None:
    page.goto(f"{server}/#/sparql?query=SELEC%20nonsense")
    page.click("#run")
    assert "expected" in page.locator("#sparql-results .error").inner_text()


def test_compare_shows_the_new_articles_as_new(page: Page, server: str) -> None:
    """The rows the comparison API calls new (no central article) are the page's new rows, and only those."""
    doc = "江北省脱贫攻坚责任制实施细则"
    comparison = httpx.get(f"{server}/api/documents/{doc}/comparison", timeout=30).json()
    new = {a["article"] for a in comparison["alignments"] if not a["central_article"]}
    assert new  # the calibrated threshold leaves at least one article of this rule without a counterpart
    page.goto(f"{server}/#/compare/{doc}")
    page.locator("tr[data-article='1']").wait_for()
    shown = {r.get_attribute("data-article") for r in page.locator("tr.row-new").all()}
    assert shown == new
    assert all("新增" in page.locator(f"tr[data-article='{n}']").inner_text() for n in new)
    assert "模态：应当→可以" in page.locator("tr[data-article='16']").inner_text()
    assert page.locator("tr[data-central='20']").count() == 1


AGRI = "中华人民共和国农业技术推广法_2012-08-31"


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Three real provincial rules implementing one national law (both its stored versions)."""
    local, laws = CORPUS / "local-dev", CORPUS / "lawrefbook" / "经济法"
    if not local.exists():
        pytest.skip(f"{local} is absent (../shared not beside the project)")
    files = [local / "上海市实施《农业技术推广法》办法.md", local / "河南省实施《农业技术推广法》办法.md",
             local / "浙江省实施《农业技术推广法》办法(2020-09-24).md", laws / "农业技术推广法(2012-08-31).md",
             laws / "农业技术推广法(2024-04-26).md"]
    with policygraph_server(store_with(tmp_path_factory.mktemp("corpus") / "store", *files)) as base:
        yield base


def test_implementations_matrix_opens_the_compare_view(page: Page, corpus_server: str, tmp_path: Path) -> None:
    page.goto(f"{corpus_server}/#/doc/{AGRI}")
    page.click("a.implementations")
    matrix = page.locator("#matrix")
    matrix.wait_for()
    assert unquote(page.url).endswith(f"#/implementations/{AGRI}")
    headers = [matrix.locator("tr").first.locator("th").nth(i).inner_text() for i in range(1, 4)]
    assert sorted(headers) == ["上海市", "河南省", "浙江省"]
    assert page.locator("#matrix tr[data-article='1'] td.st-carried").count() == 3  # every rule: purpose ← Art. 1
    assert page.locator("#matrix td.st-absent").count() > 0
    assert page.locator("#coverage tr[data-rule]").count() == 3
    with page.expect_download() as download:
        page.click("#implementations-csv")
    saved = tmp_path / "implementations.csv"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").splitlines()[0].startswith("article,")
    cell = page.locator("#matrix td.st-carried[data-rule^='河南省'] a").first
    cell.click()
    page.locator("#compare tr[data-article]").first.wait_for()
    assert "#/compare/" in page.url and "河南省" in unquote(page.url)
    assert "农业技术推广法" in page.locator("main p").first.inner_text()


def test_phone_sized_screen_has_no_sideways_scroll(browser: Browser, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    pg = context.new_page()
    for path in ["#/ask?q=谁负责扶贫资金管理监督？", "#/actor/县级政府", "#/doc/脱贫攻坚责任制实施办法/art/9"]:
        pg.goto(f"{server}/{path}")
        pg.locator("h1").wait_for()
        pg.wait_for_timeout(300)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 376, path
    pg.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    context.close()


def test_no_request_leaves_loopback(server: str) -> None:
    """Runs after the page tests of this module: every request they made went to 127.0.0.1."""
    assert len(REQUESTS) > 20
    outside = [u for u in REQUESTS if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))]
    assert outside == []
