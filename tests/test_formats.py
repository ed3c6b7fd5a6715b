"""Word, PDF and OFD files made from real texts (the bundled measure and three lawrefbook laws): each
parses to the same chapters, articles and items as the text, and gives the same duties."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from policygraph.errors import InputError
from policygraph.extract import Extractor
from policygraph.pipeline import parse_file
from policygraph.read import read_path
from policygraph.store import open_store
from policygraph.structure import Document

from .conftest import LAWREFBOOK, SEED
from .documents import (
    LAWS,
    convert,
    law_lines,
    measure_lines,
    write_docx,
    write_numbered_docx,
    write_ofd,
    write_text,
)

FORMATS = ["docx", "doc", "pdf", "ofd"]
NAMES = ["measure", "flag", "sanctions", "tcm"]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """For each text: the text file and the same text written as DOCX, DOC, PDF and OFD."""
    if not LAWREFBOOK.exists():
        pytest.skip("../shared/corpus/lawrefbook is absent")
    out = tmp_path_factory.mktemp("formats")
    texts = {"measure": measure_lines(), **{n: law_lines(rel) for n, rel in zip(NAMES[1:], LAWS, strict=True)}}
    files: dict[str, dict[str, Path]] = {}
    for name, lines in texts.items():
        files[name] = {
            "text": SEED if name == "measure" else write_text(lines, out / f"{name}.txt"),
            "docx": write_docx(lines, out / f"{name}.docx"),
            "ofd": write_ofd(lines, out / f"{name}.ofd"),
        }
    docx_files = [files[n]["docx"] for n in texts]
    for fmt in ("pdf", "doc"):
        for name, path in zip(texts, convert(docx_files, fmt, out), strict=True):
            files[name][fmt] = path
    return files


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _shape(doc: Document) -> dict[str, Any]:
    def flat(text: str) -> str:
        return re.sub(r"\s+", "", text)

    return {
        "title": doc.title,
        "chapters": [(c.number, c.heading) for c in doc.chapters],
        "articles": [(a.key, a.chapter, flat(a.text)) for a in doc.articles],
        "items": [(a.key, i.label, flat(i.text)) for a in doc.articles for i in a.items],
        "paragraphs": [len(a.paragraphs) for a in doc.articles],
        "effective": doc.effective,
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_a_document_in_any_format_parses_and_extracts_as_its_text(
        made: dict[str, dict[str, Path]], extractor: Extractor, name: str, fmt: str) -> None:
    text, other = parse_file(made[name]["text"]), parse_file(made[name][fmt])
    assert other.norm.format == fmt
    assert len(text.articles) >= 16
    assert _shape(other) == _shape(text)

    def duties(doc: Document) -> list[tuple[Any, ...]]:
        return [(d.article, d.item, d.actor, d.modality, d.action) for d in extractor.extract(doc)]

    assert duties(other) == duties(text) and duties(text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_offsets_point_into_the_extracted_text_that_parse_prints(made: dict[str, dict[str, Path]], fmt: str) -> None:
    path = made["measure"][fmt]
    doc = parse_file(path)
    art = doc.to_json()["articles"][21]
    proc = subprocess.run([sys.executable, "-m", "policygraph", "parse", str(path), "--format", "text"],
                          capture_output=True, text=True, check=True)
    assert proc.stdout == read_path(path).text
    assert proc.stdout[art["start"] : art["end"]].startswith("軍隊(duì)和武警部隊(duì)")


def test_format_is_recognised_by_content_not_extension(made: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    for fmt in FORMATS:
        disguised = tmp_path / f"download-{fmt}.txt"
        disguised.write_bytes(made["flag"][fmt].read_bytes())
        assert read_path(disguised).format == fmt


def test_ofd_metadata_gives_title_and_date_when_the_text_has_none(tmp_path: Path) -> None:
    lines = law_lines(LAWS[1])[1:]  # without its title line
    doc = parse_file(write_ofd(lines, tmp_path / "untitled.ofd", title="中华人民共和国反外国制裁法", date="2021-06-10"))
    assert doc.title == "中华人民共和国反外国制裁法"
    assert doc.published == "2021-06-10"
    assert doc.effective == "2021-06-10"  # 本法自公布之日起施行
    assert len(doc.articles) == 16


def test_wps_file_with_word_data_is_read_and_another_is_named(made: dict[str, dict[str, Path]],
                                                              tmp_path: Path) -> None:
    wps = tmp_path / "rule.wps"
    wps.write_bytes(made["flag"]["doc"].read_bytes())  # WPS Office writes Word binary data into .wps
    assert read_path(wps).format == "wps" and len(parse_file(wps).articles) == 24
    works = tmp_path / "works.wps"
    works.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(InputError, match=r"WPS \(\.wps\) file without Word text"):
        read_path(works)
    old = tmp_path / "1998.wps"
    old.write_bytes(b"\xff\xfe\x00\x00WPS4" + bytes(512))
    with pytest.raises(InputError, match=r"older WPS format that no tool here reads; save it as \.docx or PDF"):
        read_path(old)


# -- bad input: one line, exit 2, nothing written ------------------------------------------------------------


def _encrypted_pdf(src: Path) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(src))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (800, 1100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 40):
        draw.rectangle((80, y, 720, y + 18), fill=30)  # lines of "text" as ink, not characters
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawImage(ImageReader(image), 0, 0, 595, 842)
    pdf.save()
    return buf.getvalue()


def _encrypted_docx(src: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with src.open("rb") as f:
        OOXMLFile(f).encrypt("secret", out)
    return out.getvalue()


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for member, content in members.items():
            z.writestr(member, content)
    return buf.getvalue()


def _bad_inputs(made: dict[str, dict[str, Path]]) -> dict[str, tuple[bytes, str]]:
    pdf, docx = made["flag"]["pdf"].read_bytes(), made["flag"]["docx"].read_bytes()
    ofd_root = ('<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo/>'
                "</ofd:DocBody></ofd:OFD>")
    return {
        "encrypted.pdf": (_encrypted_pdf(made["flag"]["pdf"]), "encrypted (password-protected) PDF"),
        "truncated.pdf": (pdf[: len(pdf) // 3], "corrupt PDF"),
        "scanned.pdf": (_scanned_pdf(), "no text layer (a scan?); OCR it first"),
        "encrypted.docx": (_encrypted_docx(made["flag"]["docx"]), "encrypted (password-protected) Office document"),
        "truncated.docx": (docx[: len(docx) // 2], "corrupt zip archive"),
        "broken.docx": (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"}),
                        "corrupt Word (.docx) document"),
        "photos.zip": (_zip({"a.jpg": "x", "readme.txt": "第一条"}), "a zip archive, not a Word (.docx) or OFD"),
        "sheet.docx": (_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
                       "not a Word document"),
        "empty.ofd": (_zip({"OFD.xml": ofd_root}), "empty OFD document"),
        "blank.ofd": (write_ofd([], Path(made["flag"]["ofd"]).with_name("blank.ofd")).read_bytes(),
                      "an OFD document with no text"),
        "nothing.html": ("<html><head><title>首页</title></head><body><div>欢迎访问本网站。今日无更新。</div>"
                         "</body></html>".encode(), "no provisions found"),
    }


@pytest.mark.parametrize("case", ["encrypted.pdf", "truncated.pdf", "scanned.pdf", "encrypted.docx",
                                  "truncated.docx", "broken.docx", "photos.zip", "sheet.docx", "empty.ofd",
                                  "blank.ofd", "nothing.html"])
def test_bad_documents_give_one_line_exit_2_and_write_nothing(made: dict[str, dict[str, Path]], tmp_path: Path,
                                                             case: str) -> None:
    data, problem = _bad_inputs(made)[case]
    path = tmp_path / case
    path.write_bytes(data)
    for command in (["parse"], ["extract"])[: 1 + case.endswith(".pdf")]:
        proc = subprocess.run([sys.executable, "-m", "policygraph", *command, str(path)],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"policygraph: {path}: ") and problem in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
    store = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-m", "policygraph", "load", str(path), "--store", str(store)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and problem in proc.stderr
    written = open_store(store)
    try:
        assert not written.has_documents()  # type: ignore[attr-defined]
    finally:
        written.close()


@pytest.mark.parametrize("name", ["flag", "tcm"])
def test_word_automatic_numbering_is_read_as_shown(made: dict[str, dict[str, Path]], tmp_path: Path,
                                                   name: str) -> None:
    """第X章, 第X条 and （一） as Word list numbers (level text 第%1条, chineseCounting), not text: the .docx
    and LibreOffice's PDF of it parse as the text does."""
    lines = law_lines(LAWS[NAMES.index(name) - 1])
    numbered = write_numbered_docx(lines, tmp_path / f"{name}-numbered.docx")
    import docx

    assert "第一条" not in "".join(p.text for p in docx.Document(str(numbered)).paragraphs)  # numbers, not text
    text = parse_file(made[name]["text"])
    assert _shape(parse_file(numbered)) == _shape(text)
    (pdf,) = convert([numbered], "pdf", tmp_path)
    assert _shape(parse_file(pdf)) == _shape(text)


def test_pdf_running_header_and_footer_are_dropped(made: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    """Every page of the PDF carries the law's short title above and the gazette's name below."""
    lines = law_lines(LAWS[2])
    paged = write_docx(lines, tmp_path / "paged.docx", header="中医药法", footer="全国人民代表大会常务委员会公报")
    (pdf,) = convert([paged], "pdf", tmp_path)
    text = read_path(pdf).text
    assert "全国人民代表大会常务委员会公报" not in text
    assert "中医药法" not in text.splitlines()
    assert _shape(parse_file(pdf)) == _shape(parse_file(made["tcm"]["text"]))
