"""Reading: encodings, formats, and bad input with one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from policygraph.errors import InputError
from policygraph.read import read_bytes, read_path

TEXT = "第十九条　县级政府应当建立扶贫项目库，整合财政涉农资金，对扶贫资金管理监督负首要责任。"
TRAD = "第十九條　縣級政府應當建立扶貧項目庫，整合財政涉農資金，對扶貧資金管理監督負首要責任。"


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (TEXT, "utf-8", "utf-8"),
        (TEXT, "utf-8-sig", "utf-8-sig"),
        (TEXT, "gb18030", "gb18030"),
        (TEXT, "gbk", "gb18030"),
        (TRAD, "big5", "big5"),
    ],
)
def test_encodings_are_detected(text: str, encoding: str, detected: str, tmp_path: Path) -> None:
    path = tmp_path / "rule.txt"
    path.write_bytes(text.encode(encoding))
    source = read_path(path)
    assert source.text == text
    assert source.encoding == detected


def test_html_page_keeps_block_breaks_and_drops_scripts() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>x</title><script>var a='第九条';</script></head>"
        "<body><div class='nav'>首页</div><h1>脱贫攻坚责任制实施办法</h1>"
        "<p>第一条　为了全面落实脱贫攻坚责任制，制定本办法。</p>"
        "<p>第二条　本办法适用于中西部22个省。<br>第二款。</p></body></html>"
    )
    source = read_bytes(page.encode(), name="page.html")
    assert source.format == "html"
    lines = source.text.splitlines()
    assert "脱贫攻坚责任制实施办法" in lines
    assert "第一条 为了全面落实脱贫攻坚责任制，制定本办法。" in lines  # the remover folds the ideographic space
    assert "第二款。" in lines
    assert "var a" not in source.text


def test_markdown_is_recognised_by_extension() -> None:
    source = read_bytes("# 中华人民共和国测试法\n\n第一条 测试。".encode(), name="law.md")
    assert source.format == "markdown"


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", TEXT)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty input"),
        (b"  \n\n ", "empty input"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "binary file (PNG image)"),
        (_zip_bytes(), "a zip archive, not a Word (.docx) or OFD document"),
        (b"%PDF-1.7\n", "corrupt PDF"),
        (b"Article 1. This regulation is in English only.", "no Chinese text found"),
        (bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_bad_input_names_the_file_and_problem(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as info:
        read_bytes(data, name="bad.txt")
    assert str(info.value).startswith("bad.txt: ")
    assert problem in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty input"),
        (b"PK\x03\x04" + bytes(40), "corrupt zip archive (a damaged .docx or .ofd?)"),
        (b"no chinese here", "no Chinese text found"),
    ],
)
def test_cli_reports_bad_input_in_one_line_with_exit_2(
    content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "policygraph", "parse", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"policygraph: {path}: {message}")
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)
