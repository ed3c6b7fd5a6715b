// The corpus view: every stored rule implementing one measure, article by article (carried over / changed /
// absent), with each rule's coverage and added articles. Each cell opens the compare view of that rule.
"use strict";

const STATUS_ZH = { "carried over": "照搬", changed: "改动", absent: "未落实" };
const STATUS_CLASS = { "carried over": "st-carried", changed: "st-changed", absent: "st-absent" };

function shortRule(title) {
  // 上海市实施《…》办法 → 上海市; other titles keep their first characters.
  const i = title.indexOf("实施");
  return i > 0 ? title.slice(0, i) : title.slice(0, 8);
}

async function implementationsView(id) {
  const d = await api(`/api/documents/${enc(id)}/implementations`);
  const head = [h("h1", {}, "各地实施 ", h("small", {}, "Implementations")),
    h("p", {}, h("a", { href: `#/doc/${enc(id)}` }, `《${d.measure.title}》`),
      ` · ${d.rules.length} 件实施文件 rules · `,
      h("a", { id: "implementations-csv", href: `/api/documents/${enc(id)}/implementations.csv`,
        download: "implementations.csv" }, "下载 CSV"))];
  if (!d.rules.length) {
    render(head, h("p", { class: "muted" }, "库中没有实施此文件的规定。No stored rule implements this document."));
    return;
  }
  const coverage = h("table", { id: "coverage" },
    h("tr", {}, h("th", {}, "实施文件 Rule"), h("th", {}, "照搬"), h("th", {}, "改动"), h("th", {}, "未落实"),
      h("th", {}, "覆盖 Coverage"), h("th", {}, "新增条 New")),
    d.rules.map((r) => h("tr", { "data-rule": r.id },
      h("td", {}, h("a", { href: `#/compare/${enc(r.id)}` }, r.title)), h("td", {}, r.carried_over),
      h("td", {}, r.changed), h("td", {}, r.absent), h("td", {}, `${Math.round(r.coverage * 100)}%`),
      h("td", {}, r.new_articles.length ? r.new_articles.map((n) =>
        h("a", { href: articleHref(r.id, n), class: "new-article" }, `第${n}条 `)) : "—"))));
  const matrix = h("table", { id: "matrix", class: "matrix" },
    h("tr", {}, h("th", {}, "条 Art."), d.rules.map((r) => h("th", { title: r.title }, shortRule(r.title)))),
    d.articles.map((a) => h("tr", { "data-article": a.number },
      h("th", {}, h("a", { href: articleHref(id, a.number) }, `第${a.number}条`)),
      d.rules.map((r) => {
        const c = a.cells[r.id] || { status: "absent", rule_articles: [] };
        const label = c.rule_articles.length ? c.rule_articles.map((n) => `第${n}条`).join("、") : STATUS_ZH[c.status];
        return h("td", { class: `cell ${STATUS_CLASS[c.status]}`, "data-rule": r.id, "data-status": c.status },
          h("a", { href: `#/compare/${enc(r.id)}`, title: `${r.title}：${c.status}` }, label));
      }))));
  const legend = h("p", { class: "legend" }, Object.entries(STATUS_ZH).map(([s, zh]) =>
    h("span", { class: `cell ${STATUS_CLASS[s]}` }, `${zh} ${s}`)));
  render(head, h("div", { class: "scroll" }, coverage), h("h2", {}, "逐条 ", h("small", {}, "Article by article")),
    legend, h("div", { class: "scroll" }, matrix));
}
