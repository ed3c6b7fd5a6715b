"""Test documents made from real texts: the bundled measure and lawrefbook laws written out as DOCX, DOC,
PDF and OFD, and saved web pages. Each writer is the tool a publisher would use (python-docx, LibreOffice
headless, the OFD XML of GB/T 33190)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from .conftest import LAWREFBOOK, SEED

LAWS = ["宪法相关法/国旗法(2020-10-17).md", "宪法相关法/反外国制裁法(2021-06-10).md", "行政法/中医药法(2016-12-25).md"]


def measure_lines() -> list[str]:
    """The bundled measure as captured (traditional, pinyin, furniture), one line per paragraph."""
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def law_lines(rel: str) -> list[str]:
    """A lawrefbook law as a person would type it: title, then the body's paragraphs without markdown."""
    raw = (LAWREFBOOK / rel).read_text(encoding="utf-8")
    title = raw.splitlines()[0].lstrip("# ").strip()
    body = raw.split("<!-- INFO END -->", 1)[-1]
    lines = [re.sub(r"^#{1,6}\s+", "", line).strip() for line in body.splitlines()]
    return [title, *(line for line in lines if line)]


def write_text(lines: list[str], path: Path) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(lines: list[str], path: Path, *, header: str = "", footer: str = "") -> Path:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    normal = document.styles["Normal"]
    normal.font.name = "WenQuanYi Zen Hei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Zen Hei")  # type: ignore[union-attr]
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def convert(docx_files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """LibreOffice headless: the .docx files to ``fmt`` (pdf or doc), as an office would save them."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: `make test` installs it (libreoffice-writer-nogui)"
    profile = outdir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), *map(str, docx_files)], check=True, capture_output=True, timeout=300)
    return [outdir / f"{p.stem}.{fmt}" for p in docx_files]


_OFD_NS = "http://www.ofdspec.org/2016"
_PER_LINE = 40  # characters per line on an A4 page at 3.5 mm


def write_ofd(lines: list[str], path: Path, *, title: str = "", date: str = "") -> Path:
    """An OFD file (GB/T 33190) holding ``lines`` laid out on A4 pages as official documents are (GB/T 9704):
    each paragraph's first line indented two characters, lines of 40 characters, no paragraph spacing, one
    TextObject per visual line, 40 lines a page."""
    visual = [(2 * (i == 0), chunk) for line in lines for i, chunk in enumerate(_wrap(line))]
    pages = [visual[i : i + 40] for i in range(0, len(visual), 40)] or [[]]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", _ofd_root(title, date))
        z.writestr("Doc_0/Document.xml", _ofd_document(len(pages)))
        z.writestr("Doc_0/PublicRes.xml", f'<ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
                   '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        for n, page in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", _ofd_page(page, n))
    return path


def _wrap(line: str) -> list[str]:
    first = _PER_LINE - 2
    return [line[:first], *(line[i : i + _PER_LINE] for i in range(first, len(line), _PER_LINE))]


def _ofd_root(title: str, date: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f3c2a</ofd:DocID><ofd:Title>{html.escape(title)}</ofd:Title>"
            f"<ofd:CreationDate>{date}</ofd:CreationDate></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")


def _ofd_document(pages: int) -> str:
    refs = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(pages))
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>100000</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")


def _ofd_page(lines: list[tuple[int, str]], page: int) -> str:
    objects = "".join(
        f'<ofd:TextObject ID="{1000 * (page + 1) + i}" Boundary="{25 + 3.5 * indent} {30 + 6 * i} '
        f'{3.5 * len(text):.1f} 5" Font="2" Size="3.5"><ofd:TextCode X="0" Y="3.5" DeltaX="g {len(text) - 1} 3.5">'
        f"{html.escape(text)}</ofd:TextCode></ofd:TextObject>"
        for i, (indent, text) in enumerate(lines))
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{page + 1}">{objects}</ofd:Layer></ofd:Content></ofd:Page>')


def _paragraphs(lines: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)


def saved_page(lines: list[str]) -> str:
    """A news page saved whole: head with title and date metadata, scripts, styles, navigation, HTML
    comments, the article, readers' comments, related links and a footer."""
    nav, headline, *body = lines
    related = "".join(f'<li><a href="/n/{i}.html">{t}</a></li>' for i, t in enumerate(_NEWS))
    return f"""<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<title>{html.escape(headline)}_新聞中心</title>
<meta name="PubDate" content="2016-10-17 20:30">
<meta property="article:published_time" content="2016-10-17T20:30:00+08:00">
<style>body {{ font: 14px/1.6 sans-serif }} .nav a {{ margin: 0 8px }}</style>
<script>var _hmt = _hmt || []; window.dataLayer = [{{"page": "第一條"}}];</script>
</head><body>
<!-- 頁頭導航 開始 -->
<div class="nav"><a href="/">首頁</a> | <a href="/news">新聞</a> | <a href="/policy">政策</a> | {html.escape(nav)}</div>
<!-- 頁頭導航 結束 -->
<div class="main"><div class="article">
<h1>{html.escape(headline)}</h1>
{_paragraphs(body)}
</div>
<!-- 評論區 -->
<div class="comments"><h3>網友評論</h3><p>網友甲：說得好，責任要落實到人。</p><p>網友乙：支持！</p></div>
<div class="related"><h3>相關新聞</h3><ul>{related}</ul></div></div>
<script>document.write('<div>廣告</div>');</script>
<div class="footer">版權所有 新聞中心 京ICP備00000000號</div>
</body></html>"""


_NEWS = ["国务院常务会议部署进一步做好稳就业工作", "多地出台措施支持小微企业发展", "今年秋粮收购进展顺利",
         "全国铁路迎来客流高峰", "科技部发布重点研发计划项目指南"]


def news_page(lines: list[str]) -> str:
    """The measure in one <div> of a portal's front page, among unrelated news items with their own text."""
    items = "".join(f'<div class="item"><h2><a href="/n/{i}.html">{t}</a></h2><p>{t}。记者从有关部门获悉，'
                    f"相关工作正在有序推进，各地将结合实际抓好落实。</p></div>" for i, t in enumerate(_NEWS))
    _, headline, *body = lines
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>政务门户 - 首页</title></head><body>
<div id="top"><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/hd">互动交流</a></div>
<div id="left">{items}</div>
<div id="content"><h1>{html.escape(headline)}</h1>{_paragraphs(body)}</div>
<div id="right">{items}</div>
</body></html>"""


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_LISTS = {  # numId: (abstractNumId, [(level text, format)]) — articles with their items, and chapters
    "901": ("801", [("第%1条", "chineseCounting"), ("（%2）", "chineseCounting")]),
    "902": ("802", [("第%1章", "chineseCounting")]),
}
_LABEL = re.compile(r"^(第[一二三四五六七八九十百零]+[条章])\s*|^（[一二三四五六七八九十]+）")


def write_numbered_docx(lines: list[str], path: Path) -> Path:
    """A .docx whose 第X章, 第X条 and （一） are Word's automatic numbering, not text: each such paragraph
    keeps its text without the label and is put in a list whose level text is 第%1条 (chineseCounting)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    for abstract_id, levels in _LISTS.values():
        lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/><w:suff w:val="space"/></w:lvl>'
                       for i, (text, fmt) in enumerate(levels))
        element = parse_xml(f'<w:abstractNum {_W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    for num_id, (abstract_id, _) in _LISTS.items():
        numbering.append(parse_xml(f'<w:num {_W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                                   "</w:num>"))
    for line in lines:
        m = _LABEL.match(line)
        paragraph = document.add_paragraph(line[m.end():] if m else line)
        if m:
            num_id, ilvl = ("902", 0) if line.startswith("第") and m.group(1).endswith("章") else (
                ("901", 0) if line.startswith("第") else ("901", 1))
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {_W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    document.save(str(path))
    return path
