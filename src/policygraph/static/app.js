// policygraph's page: ask who is responsible, read articles, see actors, compare a rule with its measure,
// and query in SPARQL. Plain JavaScript over the JSON API; every view has a stable #/ URL.
"use strict";

const MODALITY = { obligation: "应当", permission: "可以", prohibition: "不得", right: "有权" };
const LEVELS = [["central", "中央"], ["provincial", "省级"], ["municipal", "市级"], ["county", "县级"],
                ["township", "乡级"], ["village", "村级"]];
const EXAMPLES = ["谁负责扶贫资金管理监督？", "县级党委和政府有哪些职责？", "谁向中央签署脱贫责任书？", "誰負責扶貧資金管理監督？"];
const view = document.getElementById("view");

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false)
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
function render(...children) {
  view.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}
const enc = encodeURIComponent;
const badge = (m) => h("span", { class: `badge ${m}`, title: m }, MODALITY[m] || m);
const articleHref = (doc, n) => `#/doc/${enc(doc)}/art/${enc(n)}`;
const actorHref = (id) => `#/actor/${id.split("/").map(enc).join("/")}`;

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error ? body.error.message : `HTTP ${r.status}`);
  return body;
}
function fail(err) { render(h("p", { class: "error", role: "alert" }, String(err.message || err))); }

// ---------------------------------------------------------------- Ask

async function ask(params) {
  const q = params.get("q") || "";
  const input = h("input", { type: "search", name: "q", value: q, placeholder: "谁负责扶贫资金管理监督？",
                             "aria-label": "问题 question", autofocus: true });
  const form = h("form", { class: "ask", onsubmit: (e) => { e.preventDefault();
                  location.hash = `#/ask?q=${enc(input.value.trim())}`; } },
                 input, h("button", { type: "submit" }, "查询 Ask"));
  const results = h("div", { id: "results" });
  render(h("h1", {}, "谁负责什么？", h("small", {}, " Who is responsible for what")), form,
    h("p", { class: "examples" }, "例如：", EXAMPLES.map((e) => h("a", { href: `#/ask?q=${enc(e)}` }, e))), results);
  if (!q) return;
  const data = await api(`/api/responsibilities?q=${enc(q)}&limit=30`);
  if (!data.results.length) { results.append(h("p", { class: "muted" }, "没有找到相关职责。No duty found.")); return; }
  const groups = new Map();
  for (const r of data.results) {
    const key = r.actor || "（未指明主体）";
    if (!groups.has(key)) groups.set(key, { id: r.actor_id, duties: [] });
    groups.get(key).duties.push(r);
  }
  for (const [name, g] of groups) {
    results.append(h("section", { class: "body", "data-actor": name },
      h("h3", {}, g.id ? h("a", { href: actorHref(g.id) }, name) : name),
      g.duties.map((r) => h("div", { class: "duty" }, badge(r.modality),
        h("span", { class: "action" }, r.action, r.kind ? [" ", h("span", { class: "kind" }, r.kind)] : null,
          r.reason !== "direct" ? h("div", { class: "why" }, r.why) : null),
        h("a", { class: "where", href: articleHref(r.document_id, r.article) },
          `第${r.article}条 · ${r.document}`)))));
  }
}

// ---------------------------------------------------------------- Documents and articles

async function docs() {
  const data = await api("/api/documents");
  render(h("h1", {}, "文件 ", h("small", {}, "Documents")),
    h("div", { class: "scroll" }, h("table", {},
      h("tr", {}, h("th", {}, "标题"), h("th", {}, "印发"), h("th", {}, "施行"), h("th", {}, "地域"),
        h("th", {}, "条"), h("th", {}, "职责")),
      data.documents.map((d) => h("tr", {}, h("td", {}, h("a", { href: `#/doc/${enc(d.id)}` }, d.title)),
        h("td", {}, d.published || ""), h("td", {}, d.effective || ""), h("td", {}, d.jurisdiction || "全国"),
        h("td", {}, d.articles), h("td", {}, d.duties))))));
}

async function documentView(id) {
  const d = await api(`/api/documents/${enc(id)}`);
  const chapters = new Map(d.chapters.map((c) => [c.number, c.heading]));
  let current = null;
  const rows = [];
  for (const a of d.articles) {
    if (a.chapter !== current) { current = a.chapter; rows.push(h("h2", {}, `第${a.chapter}章 ${chapters.get(a.chapter) || ""}`)); }
    rows.push(h("p", {}, h("a", { href: articleHref(id, a.number) }, `第${a.number}条`), " ", a.text,
      a.duties ? h("span", { class: "muted" }, ` （${a.duties} 项职责）`) : null));
  }
  render(h("h1", {}, d.title),
    h("p", { class: "muted" }, `印发 ${d.published || "—"} · 施行 ${d.effective || "—"} · ${d.issuers.join("、")}`),
    d.based_on.length ? h("p", {}, "实施：", d.based_on.map((b) => h("a", { href: `#/doc/${enc(b.id)}` }, `《${b.title}》`)),
      " · ", h("a", { href: `#/compare/${enc(id)}` }, "逐条对照 Compare")) : null,
    h("p", {}, h("a", { href: `#/implementations/${enc(id)}`, class: "implementations" }, "各地实施 Implementations")),
    d.warnings.length ? h("p", { class: "muted" }, "载入警告：", d.warnings.join("；")) : null, rows);
}

function highlight(text, duties) {
  // Mark each duty's clause where it stands in the article (each clause once, even with several bearers).
  const spans = [];
  const seen = new Set();
  for (const d of duties) {
    if (seen.has(d.text)) continue;
    seen.add(d.text);
    const at = text.indexOf(d.text);
    if (at >= 0) spans.push({ at, end: at + d.text.length, d });
  }
  spans.sort((a, b) => a.at - b.at);
  const out = [];
  let pos = 0;
  for (const s of spans) {
    if (s.at < pos) continue;
    out.push(text.slice(pos, s.at));
    const who = duties.filter((x) => x.text === s.d.text).map((x) => x.actor_name || "（所有适用对象）").join("、");
    out.push(h("mark", { class: s.d.modality, title: `${who} · ${MODALITY[s.d.modality]} · ${s.d.action}`,
                         "data-duty": s.d.action }, text.slice(s.at, s.end)));
    pos = s.end;
  }
  out.push(text.slice(pos));
  return out;
}

async function articleView(id, n) {
  const a = await api(`/api/documents/${enc(id)}/articles/${enc(n)}`);
  const body = h("div", { class: "article-text", lang: "zh-Hans" }, highlight(a.text, a.duties));
  let original = false;
  const toggle = h("button", { class: "secondary toggle", onclick: () => {
    original = !original;
    body.replaceChildren(...(original ? [a.original] : highlight(a.text, a.duties)));
    body.setAttribute("lang", original ? "zh-Hant" : "zh-Hans");
    toggle.textContent = original ? "显示规范文本 Normalised" : "显示原文 Original";
  } }, "显示原文 Original");
  render(
    h("p", {}, h("a", { href: `#/doc/${enc(id)}` }, `《${a.document}》`), a.chapter_heading ? ` · ${a.chapter_heading}` : ""),
    h("h1", {}, `第${a.number}条`), toggle, body,
    h("h2", {}, "职责 ", h("small", {}, "Duties")),
    a.duties.length ? h("div", { class: "scroll" }, h("table", {},
      h("tr", {}, h("th", {}, "主体"), h("th", {}, "模态"), h("th", {}, "行为"), h("th", {}, "类型"), h("th", {}, "条件/对象")),
      a.duties.map((d) => h("tr", {},
        h("td", {}, d.actor_id ? h("a", { href: actorHref(d.actor_id) }, d.actor_name) : "（所有适用对象）"),
        h("td", {}, badge(d.modality)), h("td", {}, d.action), h("td", {}, d.kind || ""),
        h("td", {}, [d.condition, d.recipient ? `向${d.recipient}` : null].filter(Boolean).join("；"))))))
      : h("p", { class: "muted" }, "本条不设职责（目的、范围、机制或施行）。"),
    a.cites.length ? [h("h2", {}, "引用 ", h("small", {}, "Cites")), h("ul", {}, a.cites.map((c) => h("li", {},
      c.document_id ? h("a", { href: `#/doc/${enc(c.document_id)}` }, `《${c.title}》`) : `《${c.title}》`)))] : null,
    a.links.length ? [h("h2", {}, "对应条文 ", h("small", {}, "Aligned articles")), h("ul", {}, a.links.map((l) => h("li", {},
      l.direction === "applies" ? "实施 " : "被实施于 ", h("a", { href: articleHref(l.document_id, l.article) },
        `《${l.document}》第${l.article}条`), l.score !== null ? h("span", { class: "muted" }, ` （得分 ${l.score.toFixed(2)}）`) : null)))] : null);
}

// ---------------------------------------------------------------- Actors

const REASON = { direct: "直接", joint: "联合主体", kind: "所属类别", all_levels: "各级" };

async function actorView(id) {
  const [a, d] = await Promise.all([api(`/api/actors/${id}`), api(`/api/actors/${id}/duties?inherited=true`)]);
  const levels = h("div", { class: "levels", "aria-label": "层级 levels" },
    LEVELS.map(([key, zh], i) => [i ? h("i", {}, "→") : null,
      h("span", { class: (a.level === key || a.level === "every level") ? "here" : null }, zh)]));
  const list = (label, items) => items.length ? h("p", {}, `${label}：`, items.map((x, i) => [i ? "、" : "",
    h("a", { href: actorHref(x.id) }, x.name)])) : null;
  render(h("h1", {}, a.name, a.en ? h("small", { class: "muted" }, ` ${a.en}`) : null),
    h("p", { class: "muted" }, [a.level, ...a.kinds].filter(Boolean).join(" · "), a.jurisdiction ? ` · ${a.jurisdiction}` : ""),
    levels, a.aliases.length ? h("p", {}, "别名：", a.aliases.join("、")) : null,
    list("成员", a.members), list("所属联合主体", a.member_of), list("所属类别", a.belongs_to), list("职务所在", a.post_in),
    h("h2", {}, `职责（${d.duties.length}）`, h("small", {}, " Duties, direct and inherited")),
    h("div", { class: "scroll" }, h("table", {},
      h("tr", {}, h("th", {}, "条"), h("th", {}, "模态"), h("th", {}, "行为"), h("th", {}, "理由")),
      d.duties.map((x) => h("tr", { "data-reason": x.reason }, h("td", {}, h("a", { href: articleHref(x.document_id, x.article) },
        `第${x.article}条`), h("div", { class: "muted" }, x.document)), h("td", {}, badge(x.modality)), h("td", {}, x.action),
        h("td", {}, h("span", { class: "tag" }, REASON[x.reason] || x.reason),
          x.reason !== "direct" ? [" 经由 ", h("a", { href: actorHref(x.via_id) }, x.via)] : null))))));
}

// ---------------------------------------------------------------- Compare

async function compareView(id) {
  const c = await api(`/api/documents/${enc(id)}/comparison`);
  const [rule, measure] = await Promise.all([api(`/api/documents/${enc(id)}`), api(`/api/documents/${enc(c.based_on.id)}`)]);
  const ruleText = new Map(rule.articles.map((a) => [a.number, a.text]));
  const centralText = new Map(measure.articles.map((a) => [a.number, a.text]));
  const pairs = new Map(c.pairs.map((p) => [p.article, p]));
  const rows = c.alignments.map((a) => {
    const p = pairs.get(a.article);
    const changes = p ? [...p.modality_changed.map((m) => `模态：${MODALITY[m.from]}→${MODALITY[m.to]}`),
      ...p.added.map((x) => `新增：${x.action}`), ...p.bearer_changed.map((x) => `主体：${x.from}→${x.to}`)] : [];
    const cls = !a.central_article ? "row-new" : changes.some((x) => x.startsWith("模态")) ? "row-changed" : null;
    return h("tr", { class: cls, "data-article": a.article },
      h("td", {}, h("a", { href: articleHref(id, a.article) }, `第${a.article}条`), h("div", {}, ruleText.get(a.article) || "")),
      h("td", {}, a.central_article ? [h("a", { href: articleHref(c.based_on.id, a.central_article) },
        `第${[a.central_article, ...a.secondary].join("、")}条`), h("div", {}, centralText.get(a.central_article) || "")]
        : h("span", { class: "tag" }, "新增 new")),
      h("td", {}, a.central_article ? a.score.toFixed(2) : "", changes.map((x) => h("div", { class: "why" }, x))));
  });
  const gaps = c.not_carried_over.map((g) => h("tr", { class: "row-gap", "data-central": g.central_article },
    h("td", {}, h("span", { class: "tag" }, g.central_only ? "中央专有 central only" : "未落实 not carried over")),
    h("td", {}, h("a", { href: articleHref(c.based_on.id, g.central_article) }, `第${g.central_article}条`),
      h("div", {}, g.text)), h("td", {})));
  render(h("h1", {}, "逐条对照 ", h("small", {}, "Compare")),
    h("p", {}, h("a", { href: `#/doc/${enc(id)}` }, `《${rule.title}》`), " ↔ ",
      h("a", { href: `#/doc/${enc(c.based_on.id)}` }, `《${c.based_on.title}》`)),
    h("div", { class: "scroll" }, h("table", { id: "compare" },
      h("tr", {}, h("th", {}, "实施细则"), h("th", {}, "上位文件"), h("th", {}, "得分 / 变化")), rows,
      h("tr", {}, h("th", { colspan: 3 }, "上位文件中未落实的条文 ", h("small", {}, "Not carried over"))), gaps)));
}

// ---------------------------------------------------------------- SPARQL

let editor = null;
async function sparqlView(params) {
  const listing = await api("/api/queries");
  const area = h("textarea", { id: "query" });
  const out = h("div", { id: "sparql-results" });
  const paramBox = h("div", { class: "params" });
  render(h("h1", {}, "SPARQL ", h("small", {}, "查询")),
    h("div", { class: "grid2" }, h("div", {}, area, paramBox, h("div", { class: "toolbar" },
      h("button", { id: "run", onclick: () => run() }, "运行 Run"),
      h("button", { class: "secondary", id: "csv", onclick: () => download("text/csv", "results.csv") }, "CSV"),
      h("button", { class: "secondary", id: "json", onclick: () => download("application/sparql-results+json", "results.json") }, "JSON"),
      h("a", { id: "share", href: "#" }, "分享链接 Link"))),
      h("div", {}, h("h2", {}, "常用查询 ", h("small", {}, "Stored queries")),
        h("ul", { class: "queries" }, listing.queries.map((q) => h("li", {},
          h("a", { href: `#/sparql?name=${enc(q.name)}`, "data-query": q.name }, q.title), h("p", {}, q.description)))))),
    out);
  editor = CodeMirror.fromTextArea(area, { mode: "application/sparql-query", lineNumbers: true });
  const stored = listing.queries.find((q) => q.name === params.get("name"));
  if (stored) {
    editor.setValue(stored.sparql);
    for (const p of stored.params) paramBox.append(h("label", {}, `${p.name}${p.optional ? "（可选）" : ""}：`,
      h("input", { name: p.name, value: params.get(p.name) || "", placeholder: p.help, "data-param": p.name })));
  } else {
    editor.setValue(params.get("query") || "SELECT ?bearer ?action WHERE {\n  ?duty pg:bearer/skos:prefLabel ?bearer ;\n        pg:action ?action .\n  FILTER(langMatches(lang(?bearer), \"zh-Hans\"))\n} LIMIT 20");
  }
  const text = () => {
    // Stored queries bind their parameters as VALUES, sent with the query: the server never splices strings.
    let q = editor.getValue();
    const values = [...paramBox.querySelectorAll("input")].filter((i) => i.value.trim())
      .map((i) => `VALUES ?${i.name}_param { ${JSON.stringify(i.value.trim())} }`);
    if (values.length) q = q.replace(/\bWHERE\s*\{/i, (m) => `${m}\n  ${values.join("\n  ")}`);
    return q;
  };
  const share = () => {
    const link = stored ? `#/sparql?name=${enc(stored.name)}${[...paramBox.querySelectorAll("input")].map((i) => i.value ? `&${enc(i.name)}=${enc(i.value)}` : "").join("")}`
      : `#/sparql?query=${enc(editor.getValue())}`;
    document.getElementById("share").setAttribute("href", link);
  };
  async function post(accept) {
    return fetch("/sparql", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
                              body: new URLSearchParams({ query: text() }) });
  }
  async function run() {
    share();
    out.replaceChildren(h("p", { class: "muted" }, "运行中… running"));
    const started = performance.now();
    const r = await post("application/sparql-results+json");
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { out.replaceChildren(h("p", { class: "error", role: "alert" }, body.error ? body.error.message : `HTTP ${r.status}`)); return; }
    if ("boolean" in body) { out.replaceChildren(h("p", {}, `ASK: ${body.boolean}`)); return; }
    const vars = body.head.vars.filter((v) => !v.endsWith("_param"));
    out.replaceChildren(h("p", { class: "muted" }, `${body.results.bindings.length} 行 rows · ${Math.round(performance.now() - started)} ms`,
      body.truncated ? "（已截断 truncated）" : ""),
      h("div", { class: "scroll" }, h("table", { id: "result-table" }, h("tr", {}, vars.map((v) => h("th", {}, v))),
        body.results.bindings.map((b) => h("tr", {}, vars.map((v) => h("td", {}, b[v] ? b[v].value : "")))))));
  }
  async function download(accept, name) {
    const r = await post(accept);
    if (!r.ok) { const b = await r.json().catch(() => ({})); out.replaceChildren(h("p", { class: "error" }, b.error ? b.error.message : r.status)); return; }
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  if (stored && stored.params.every((p) => p.optional || params.get(p.name))) run();
}

// ---------------------------------------------------------------- routing

async function route() {
  const [path, query] = (location.hash.slice(1) || "/ask").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === parts[0]);
  try {
    if (parts[0] === "doc" && parts[2] === "art") await articleView(parts[1], parts[3]);
    else if (parts[0] === "doc") await documentView(parts[1]);
    else if (parts[0] === "docs") await docs();
    else if (parts[0] === "actor") await actorView(parts.slice(1).map(enc).join("/"));
    else if (parts[0] === "compare") await compareView(parts[1]);
    else if (parts[0] === "implementations") await implementationsView(parts[1]);
    else if (parts[0] === "sparql") await sparqlView(params);
    else await ask(params);
    document.title = `policygraph · ${document.querySelector("h1") ? document.querySelector("h1").textContent : ""}`;
  } catch (err) { fail(err); }
}
window.addEventListener("hashchange", route);
route();
