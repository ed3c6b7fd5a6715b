"""Which library reads what: the PDF text-layer readers and the web-page boilerplate removers compared on
documents made from the bundled measure (the figures quoted in the README's "Formats" section).

    .venv/bin/pip install -e '.[dev,bench]' && .venv/bin/python bench/compare_readers.py

PDFs: LibreOffice's export of a .docx of the measure, and reportlab pages in a CID font (STSong-Light,
Adobe-GB1) and in an embedded TrueType subset (WenQuanYi Zen Hei). A reader is exact when its text,
line breaks aside, equals the measure's, spaces included. Pages: a saved news page (scripts, styles,
navigation, readers' comments) and the measure in one <div> of a portal among unrelated news.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.documents import convert, measure_lines, news_page, saved_page, write_docx  # noqa: E402

ZEN = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
NOISE = ["网友", "網友", "相关新闻", "秋粮", "版權", "稳就业"]


def _reportlab_pdf(lines: list[str], path: Path, font: str) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if font == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    else:
        pdfmetrics.registerFont(TTFont(font, ZEN, subfontIndex=0))
    page, y = canvas.Canvas(str(path)), 800
    page.setFont(font, 11)
    for line in lines:
        for i in range(0, len(line), 42):
            page.drawString(40, y, line[i : i + 42])
            y -= 16
            if y < 40:
                page.showPage()
                page.setFont(font, 11)
                y = 800
    page.save()
    return path


def _pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def _pymupdf(path: Path) -> str:
    import pymupdf

    return "\n".join(p.get_text() for p in pymupdf.open(str(path)))


def compare_pdf(out: Path) -> None:
    lines = measure_lines()
    expected = "".join(lines)
    (docx,) = [write_docx(lines, out / "measure.docx")]
    pdfs = {"LibreOffice": convert([docx], "pdf", out)[0],
            "CID font": _reportlab_pdf(lines, out / "cid.pdf", "STSong-Light"),
            "TrueType": _reportlab_pdf(lines, out / "ttf.pdf", "Zen")}
    readers: dict[str, Callable[[Path], str]] = {"pypdf": _pypdf, "pdfminer.six": _pdfminer,
                                                 "pdfplumber": _pdfplumber, "PyMuPDF": _pymupdf}
    print("| reader | " + " | ".join(pdfs) + " |\n|---|" + "---|" * len(pdfs))
    for name, read in readers.items():
        cells = []
        for path in pdfs.values():
            started = time.perf_counter()
            text = re.sub(r"[\n\f]", "", read(path))
            ms = (time.perf_counter() - started) * 1000
            spaces = text.count(" ") - expected.count(" ")
            exact = "exact" if text == expected else (
                f"+{spaces} spaces" if text.replace(" ", "") == expected.replace(" ", "") else "differs")
            cells.append(f"{exact}, {ms:.0f} ms")
        print(f"| {name} | " + " | ".join(cells) + " |")


def compare_pages() -> None:
    from policygraph.normalize import normalize_text
    from policygraph.read import html_to_text
    from policygraph.structure import parse

    def trafilatura_(page: str) -> str:
        import trafilatura

        return trafilatura.extract(page, favor_recall=True, include_comments=False) or ""

    def readability_(page: str) -> str:
        from readability import Document

        return html_to_text(Document(page).summary())

    def justext_(page: str) -> str:
        import justext

        return "\n".join(p.text for p in justext.justext(page.encode(), frozenset()) if not p.is_boilerplate)

    lines = measure_lines()
    pages = {"saved news page": saved_page(lines), "portal <div>": news_page(lines)}
    removers = {"trafilatura": trafilatura_, "readability-lxml": readability_, "jusText": justext_,
                "none (BeautifulSoup text)": html_to_text}
    print("\n| remover | " + " | ".join(pages) + " |\n|---|" + "---|" * len(pages))
    for name, remove in removers.items():
        cells = []
        for page in pages.values():
            text = remove(page)
            doc = parse(normalize_text(text))
            noise = [w for w in NOISE if w in text]
            cells.append(f"{len(doc.articles)} articles" + (f", noise: {'、'.join(noise)}" if noise else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        compare_pdf(Path(tmp))
    compare_pages()
