"""The API over a real server process: SPARQL 1.1 Protocol cases, limits, lookups and staff questions."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .servers import get_in_background, policygraph_server, store_with

TOKEN = "s3cret-token"
SELECT = ("SELECT ?action WHERE { ?d pg:bearer/skos:prefLabel \"县级政府\"@zh-Hans ; pg:action ?action } "
          "ORDER BY ?action")
DOC = "https://w3id.org/policygraph/id/doc/脱贫攻坚责任制实施办法"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    return store_with(tmp_path_factory.mktemp("api") / "store", seed_path)


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[str]:
    with policygraph_server(store_dir, query_timeout="2", max_rows="40") as base:
        yield base


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


def _error(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    return body["error"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- protocol: query


def _actions(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["action"]["value"] for b in response.json()["results"]["bindings"]]


EXPECTED = sorted(["建立扶贫项目库", "整合财政涉农资金", "建立健全扶贫资金项目信息公开制度",
                   "对扶贫资金管理监督负首要责任"])


def test_query_by_get(client: httpx.Client) -> None:
    assert _actions(client.get("/sparql", params={"query": SELECT})) == EXPECTED


def test_query_by_post_form(client: httpx.Client) -> None:
    assert _actions(client.post("/sparql", data={"query": SELECT})) == EXPECTED


def test_query_by_post_body(client: httpx.Client) -> None:
    r = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert _actions(r) == EXPECTED


def test_default_graph_uri_restricts_the_dataset(client: httpx.Client) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
    one = client.get("/sparql", params={"query": q, "default-graph-uri": DOC}).json()
    part = one["results"]["bindings"][0]["n"]["value"]
    assert 0 < int(part) < int(whole)


def test_named_graph_uri_restricts_graph_patterns(client: httpx.Client) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": DOC})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [DOC]


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_result_formats(client: httpx.Client, accept: str | None, content_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(content_type)
    text = r.text
    if content_type.endswith("json"):
        assert len(r.json()["results"]["bindings"]) == 4
    elif content_type.endswith("xml"):
        assert text.count("<result>") == 4 and "建立扶贫项目库" in text
    elif content_type == "text/csv":
        assert list(csv.reader(io.StringIO(text)))[1:] == [[a] for a in EXPECTED]
    else:
        assert text.splitlines()[0] == "?action" and '"建立扶贫项目库"@zh-hans' in text


@pytest.mark.parametrize(
    ("accept", "content_type", "marker"),
    [
        ("text/turtle", "text/turtle", "@prefix"),
        ("application/n-triples", "application/n-triples", "@zh-hans .\n"),
        ("application/rdf+xml", "application/rdf+xml", "<rdf:RDF"),
        ("application/ld+json", "application/ld+json", "@id"),
    ],
)
def test_graph_result_formats(client: httpx.Client, accept: str, content_type: str, marker: str) -> None:
    q = "CONSTRUCT { ?d pg:action ?a } WHERE { ?d pg:bearer/skos:prefLabel \"县级政府\"@zh-Hans ; pg:action ?a }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(content_type)
    assert marker in r.text and "建立扶贫项目库" in (r.text if "json" not in accept else json.dumps(r.json(),
                                                                                          ensure_ascii=False))


def test_ask(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?d a pg:Prohibition }"})
    assert r.json() == {"head": {}, "boolean": False}


def test_syntax_error_is_400_with_the_parser_message(client: httpx.Client) -> None:
    error = _error(client.get("/sparql", params={"query": "SELEC ?x WHERE {}"}), 400)
    assert "1:1" in str(error["message"]) or "expected" in str(error["message"])


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: httpx.Client, method: str) -> None:
    r = client.request(method, "/sparql", params={"query": SELECT})
    _error(r, 405)
    assert "GET" in r.headers["allow"]


def test_unsupported_post_media_type_is_415(client: httpx.Client) -> None:
    _error(client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"}), 415)


def test_unacceptable_accept_is_406(client: httpx.Client) -> None:
    _error(client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}), 406)


def test_service_description(client: httpx.Client) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in r.text and "sd:UnionDefaultGraph" in r.text


def test_etag_gives_304(client: httpx.Client) -> None:
    first = client.get("/sparql", params={"query": SELECT})
    again = client.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_row_cap_says_truncated(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?d WHERE { ?d a pg:Duty }"})
    body = r.json()
    assert len(body["results"]["bindings"]) == 40 and body["truncated"] is True
    assert r.headers["x-truncated"] == "true"


def test_service_calls_are_refused(client: httpx.Client) -> None:
    q = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert _error(client.get("/sparql", params={"query": q}), 400)["code"] == "service_refused"


def test_oversized_body_is_413(client: httpx.Client) -> None:
    _error(client.post("/sparql", content=b"x" * 1_100_000, headers={"Content-Type": "application/sparql-query"}), 413)


def test_explosive_query_times_out_while_others_answer(client: httpx.Client, server: str) -> None:
    explosive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    finish = get_in_background(server + "/sparql", {"query": explosive})
    time.sleep(0.3)
    quick = client.get("/sparql", params={"query": "SELECT ?d WHERE { ?d a pg:Permission } LIMIT 1"})
    assert quick.status_code == 200
    response, seconds = finish()
    error = _error(response, 503)
    assert "longer than 2 s" in str(error["message"])
    assert seconds < 2 + 1
    assert client.get("/healthz").json()["status"] == "ok"


# ---------------------------------------------------------------- protocol: update


@pytest.fixture
def writable(store_dir: Path, tmp_path: Path) -> Iterator[str]:
    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    with policygraph_server(copy, update_token=TOKEN) as base:
        yield base


INSERT = 'INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:p> "新" } }'
CHECK = "ASK { GRAPH <urn:test> { <urn:a> <urn:p> \"新\" } }"


def test_updates_need_the_token(writable: str) -> None:
    with httpx.Client(base_url=writable) as c:
        _error(c.post("/sparql", data={"update": INSERT}), 403)
        _error(c.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer wrong"}), 403)
        assert c.get("/sparql", params={"query": CHECK}).json()["boolean"] is False
        r = c.post("/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update",
                                                      "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 204
        assert c.get("/sparql", params={"query": CHECK}).json()["boolean"] is True


def test_using_graph_uri_sets_the_dataset_and_is_never_pasted_into_the_update(writable: str) -> None:
    """A crafted using-graph-uri once closed the IRI and dropped a graph. The parameters are now parsed IRIs set
    on the parsed update (dataset_update.py): a crafted one is 400 and nothing is written; a real one is the
    WHERE's default graph (using-named-graph-uri its only named graphs); with USING in the update too, 400."""
    update = ("INSERT { GRAPH <urn:copy> { ?d <urn:copied> true } } "
              "WHERE { ?d a <https://w3id.org/policygraph/ontology#Prohibition> }")
    named = ("INSERT { GRAPH <urn:copy-named> { ?d <urn:in> ?g } } "
             "WHERE { GRAPH ?g { ?d a <https://w3id.org/policygraph/ontology#Prohibition> } }")
    crafted = f"urn:g> WHERE {{}} ; DROP GRAPH <{DOC}> ; INSERT DATA {{ GRAPH <urn:evil> {{ <urn:a> <urn:b> 1 }} }} #"
    with httpx.Client(base_url=writable, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as c:
        assert c.post("/sparql", data={"update": "INSERT DATA { GRAPH <urn:g> { <urn:x> a "
                                       "<https://w3id.org/policygraph/ontology#Prohibition> } }"}).status_code == 204
        for name in ["using-graph-uri", "using-named-graph-uri"]:
            _error(c.post("/sparql", data={"update": update, name: crafted}), 400)
            _error(c.post("/sparql", data={"update": update.replace(" WHERE", " USING <urn:g> WHERE"),
                                           name: "urn:g"}), 400)
        assert c.post("/sparql", data={"update": update, "using-graph-uri": "urn:g"}).status_code == 204
        assert c.post("/sparql", data={"update": named, "using-named-graph-uri": "urn:g"}).status_code == 204
        cleared = "CLEAR DEFAULT ; " + update.replace("urn:copy>", "urn:copy-after-clear>")  # the default graph only
        assert c.post("/sparql", data={"update": cleared, "using-graph-uri": "urn:g"}).status_code == 204
        assert c.get("/sparql", params={"query": "ASK { GRAPH <urn:copy-after-clear> { <urn:x> ?p ?o } }"}
                     ).json()["boolean"]
        r = c.get("/sparql", params={"query": "SELECT ?d WHERE { GRAPH <urn:copy> { ?d <urn:copied> true } }"})
        assert [b["d"]["value"] for b in r.json()["results"]["bindings"]] == ["urn:x"]  # not the measure's
        r = c.get("/sparql", params={"query": "SELECT ?d ?g WHERE { GRAPH <urn:copy-named> { ?d <urn:in> ?g } }"})
        assert [(b["d"]["value"], b["g"]["value"]) for b in r.json()["results"]["bindings"]] == [("urn:x", "urn:g")]
        assert c.get("/sparql", params={"query": f"ASK {{ GRAPH <{DOC}> {{ ?s ?p ?o }} }}"}).json()["boolean"]
        assert not c.get("/sparql", params={"query": "ASK { GRAPH <urn:evil> { ?s ?p ?o } }"}).json()["boolean"]


def test_relative_iris_resolve_against_the_endpoint_and_repeated_parameters_are_400(writable: str) -> None:
    with httpx.Client(base_url=writable, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as c:
        r = c.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<rel> AS ?x) }"})
        assert r.json()["results"]["bindings"][0]["x"]["value"] == writable + "/rel"
        assert c.post("/sparql", data={"update": "INSERT DATA { GRAPH <urn:base> { <s> <p> 1 } }"}).status_code == 204
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { GRAPH <urn:base> { ?s ?p ?o } }"})
        assert r.json()["results"]["bindings"][0]["s"]["value"] == writable + "/s"
        _error(c.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]), 400)
        twice = "update=CLEAR+SILENT+GRAPH+%3Curn%3Abase%3E&update=CLEAR+SILENT+GRAPH+%3Curn%3Abase%3E"
        _error(c.post("/sparql", content=twice, headers={"Content-Type": "application/x-www-form-urlencoded"}), 400)
        assert c.get("/sparql", params={"query": "ASK { GRAPH <urn:base> { ?s ?p ?o } }"}).json()["boolean"]


def test_etags_come_from_the_data_and_survive_a_restart(tmp_path: Path, seed_path: Path,
                                                         jiangbei_path: Path) -> None:
    """Load, query, note the ETag; a restart keeps it (304); load another document, restart: the old ETag
    gets 200 and the new count (the ETag once hashed a process-local counter: 304 with the old count)."""
    import subprocess

    from .servers import VENV_BIN, free_port, wait_until_up

    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pg:Duty }"
    store = store_with(tmp_path / "store", seed_path)
    port = free_port()  # the same endpoint URL each time: it is the base of relative IRIs, so part of the tag

    def ask(tag: str | None = None) -> httpx.Response:
        headers = {"If-None-Match": tag} if tag else {}
        proc = subprocess.Popen([str(VENV_BIN / "policygraph"), "serve", "--store", str(store), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", proc)
            return httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": count}, headers=headers, timeout=30)
        finally:
            proc.terminate()
            proc.wait(timeout=20)

    first = ask()
    tag, before = first.headers["etag"], int(first.json()["results"]["bindings"][0]["n"]["value"])
    again = ask(tag)
    assert again.status_code == 304 and again.headers["etag"] == tag
    store_with(store, jiangbei_path)
    after = ask(tag)
    assert after.status_code == 200 and after.headers["etag"] != tag
    assert int(after.json()["results"]["bindings"][0]["n"]["value"]) > before


def test_every_update_gives_a_new_etag(writable: str) -> None:
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:etag> { ?s ?p ?o } }"}
    with httpx.Client(base_url=writable, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as c:
        tags = []
        for value in ["1", "2"]:
            tags.append(c.get("/sparql", params=query).headers["etag"])
            insert = f"INSERT DATA {{ GRAPH <urn:etag> {{ <urn:a> <urn:b> {value} }} }}"
            assert c.post("/sparql", data={"update": insert}).status_code == 204
        tags.append(c.get("/sparql", params=query).headers["etag"])
        assert len(set(tags)) == 3
        assert c.get("/sparql", params=query, headers={"If-None-Match": tags[0]}).status_code == 200


def test_update_by_get_is_405(client: httpx.Client) -> None:
    _error(client.get("/sparql", params={"update": INSERT}), 405)


# ---------------------------------------------------------------- researchers' clients


def test_sparqlwrapper_reads_results(server: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX pg: <https://w3id.org/policygraph/ontology#> " + SELECT)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert sorted(b["action"]["value"] for b in result["results"]["bindings"]) == EXPECTED  # type: ignore[index]


def test_rdflib_sparqlstore_reads_results(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server + "/sparql")
    rows = store.query("PREFIX pg: <https://w3id.org/policygraph/ontology#> " + SELECT)
    assert sorted(str(r[0]) for r in rows) == EXPECTED  # type: ignore[index]


# ---------------------------------------------------------------- lookups


def test_actor_lookups(client: httpx.Client) -> None:
    actors = client.get("/api/actors", params={"level": "county"}).json()["actors"]
    assert {"县级政府", "县级党委和政府"} <= {a["name"] for a in actors}
    one = client.get("/api/actors/县级党委和政府").json()
    assert {m["name"] for m in one["members"]} == {"县级党委", "县级政府"}
    assert one["level"] == "county"
    duties = client.get("/api/actors/县级政府/duties").json()["duties"]
    assert {d["article"] for d in duties if d["reason"] == "direct"} == {"19"}
    assert {d["article"] for d in duties if d["reason"] == "joint" and d["via"] == "县级党委和政府"} >= {
        "14", "15", "16", "17", "18"}
    direct = client.get("/api/actors/县级政府/duties", params={"inherited": "false"}).json()["duties"]
    assert {d["reason"] for d in direct} == {"direct"}


def test_document_and_article_lookups(client: httpx.Client, seed_duties: int) -> None:
    docs = client.get("/api/documents").json()["documents"]
    assert docs[0]["title"] == "脱贫攻坚责任制实施办法" and docs[0]["articles"] == 29
    assert docs[0]["duties"] == seed_duties
    doc = client.get("/api/documents/脱贫攻坚责任制实施办法").json()
    assert doc["effective"] == "2016-10-11" and len(doc["chapters"]) == 7 and doc["warnings"]
    art = client.get("/api/documents/脱贫攻坚责任制实施办法/articles/7").json()
    assert art["text"].startswith("有关中央和国家机关按照工作职责")
    assert art["original"].startswith("有關(guān)中央")
    assert {d["actor"] for d in art["duties"] if "actor" in d} or art["duties"]
    assert art["duties"][0]["actor_name"] == "有关中央和国家机关"
    assert {c["title"] for c in art["cites"]} >= {"中共中央、国务院关于打赢脱贫攻坚战的决定"}


def test_stored_queries(client: httpx.Client) -> None:
    listed = client.get("/api/queries").json()["queries"]
    assert {"responsibilities", "duties-of-actor", "gaps"} <= {q["name"] for q in listed}
    ran = client.get("/api/queries/duties-of-actor", params={"actor": "县级政府"}).json()
    assert "actor_param" not in ran["columns"] and ran["rows"]
    assert _error(client.get("/api/queries/duties-of-actor"), 400)["code"] == "bad_parameter"
    assert _error(client.get("/api/queries/nope"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/actors/不存在的机关", 404), ("/api/documents/nope", 404), ("/api/documents/nope/articles/1", 404),
     ("/api/responsibilities", 422), ("/api/responsibilities?limit=0&q=x", 422), ("/nowhere", 404)],
)
def test_errors_have_one_shape(client: httpx.Client, path: str, status: int) -> None:
    _error(client.get(path), status)


# ---------------------------------------------------------------- staff questions

QUESTIONS = [
    ("谁负责扶贫资金管理监督？", "县级政府"),
    ("谁向中央签署脱贫责任书？", "省级党委和政府主要负责人"),
    ("谁负责统筹制定脱贫攻坚大政方针？", "党中央、国务院"),
    ("谁负责全国脱贫攻坚的综合协调？", "国务院扶贫开发领导小组"),
    ("谁建设精准扶贫精准脱贫大数据平台？", "国务院扶贫开发领导小组"),
    ("谁对脱贫攻坚进行监督执纪问责？", "中央纪委机关"),
    ("扶贫领域职务犯罪由谁集中整治和预防？", "最高人民检察院"),
    ("谁对扶贫资金和重点项目进行跟踪审计？", "审计署"),
    ("谁对本地区脱贫攻坚工作负总责？", "省级党委和政府"),
    ("跨县扶贫项目由谁协调？", "市级党委和政府"),
    ("谁承担脱贫攻坚主体责任？", "县级党委和政府"),
    ("谁是第一责任人？", "县级党委和政府主要负责人"),
    ("谁应当建立扶贫项目库？", "县级政府"),
    ("谁指导乡、村组织实施建档立卡和退出工作？", "县级党委和政府"),
    ("哪些单位应当积极参与地方脱贫攻坚？", "武警部队"),
    ("谁做好脱贫攻坚民主监督工作？", "民主党派"),
    ("民营企业有哪些责任？", "民营企业"),
    ("谁负责解释本办法？", "国务院扶贫开发领导小组办公室"),
    ("谁应当调整财政支出结构？", "省级党委和政府"),
    ("定点扶贫单位应当做什么？", "定点扶贫单位"),
    ("谁要逐步增加帮扶投入？", "东部地区"),
    ("县级党委和政府有哪些职责？", "县级党委和政府"),
    ("哪些中西部省份要制定实施细则？", "中西部22个省（自治区、直辖市）"),
    ("誰負責扶貧資金管理監督？", "县级政府"),
    ("誰向中央簽署脫貧責任書？", "省级党委和政府主要负责人"),
    ("誰承擔脫貧攻堅主體責任？", "县级党委和政府"),
    ("軍隊應當做什麼？", "军队"),
]


def test_staff_questions_find_the_right_bodies(client: httpx.Client) -> None:
    misses = []
    for question, body in QUESTIONS:
        answer = client.get("/api/responsibilities", params={"q": question})
        assert answer.status_code == 200, answer.text
        results = answer.json()["results"]
        top = list(dict.fromkeys(r["actor"] for r in results))[:3]
        if body not in top:
            misses.append((question, body, top))
    rate = 1 - len(misses) / len(QUESTIONS)
    print(f"\nstaff questions: {len(QUESTIONS) - len(misses)}/{len(QUESTIONS)} ({rate:.0%}); misses: {misses}")
    assert rate >= 0.9, misses


def test_traditional_and_simplified_questions_answer_alike(client: httpx.Client) -> None:
    simple = client.get("/api/responsibilities", params={"q": "谁负责扶贫资金管理监督？"}).json()["results"]
    trad = client.get("/api/responsibilities", params={"q": "誰負責扶貧資金管理監督？"}).json()["results"]
    assert [(r["actor"], r["duty"]) for r in simple] == [(r["actor"], r["duty"]) for r in trad]
    assert simple[0]["why"] == "直接规定" and simple[0]["article"] == "19"


def test_openapi_documents_the_lookups(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/sparql", "/api/responsibilities", "/api/actors/{actor_id}", "/api/queries/{name}"} <= set(spec["paths"])
    params = spec["paths"]["/api/responsibilities"]["get"]["parameters"]
    assert any("谁负责扶贫资金管理监督？" in json.dumps(p, ensure_ascii=False) for p in params)


def test_ontology_documentation_is_served(client: httpx.Client) -> None:
    page = client.get("/ontology")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for term in ["pg:hasDuty", "负有职责", "pg:JointLeadership", "pg:Obligation", "lrml:Obligation", "pg:AllLevels"]:
        assert term in page.text, term
    turtle = client.get("/ontology.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle") and "owl:Ontology" in turtle.text
