"""PDF with a text layer, through pdfplumber; the visual lines of a paragraph are joined again.

pdfplumber (on pdfminer.six, MIT, pure Python) was the one library of four that gave the CJK text of
every PDF tried exactly, spaces included: LibreOffice's output, a CID font with an Adobe-GB1 CMap, an
embedded TrueType subset (pypdf, pdfminer.six's own extract_text and PyMuPDF put spaces between CJK and
digits in LibreOffice's output; see the README). It also gives each line's position, which is what tells
a line that wraps at the right margin from one that ends a paragraph.
"""

from __future__ import annotations

import io

from ..errors import InputError
from . import Extracted
from .layout import Line, paragraphs


def read_pdf(data: bytes, name: str) -> Extracted:
    """The text of every page, one paragraph per line; page numbers dropped."""
    pages = _pages(data, name)
    if not any(line.text.strip() for page in pages for line in page):
        raise InputError(name, "a PDF with no text layer (a scan?); OCR it first")
    return Extracted("\n".join(paragraphs(pages)), title=_info_title(data))


def _pages(data: bytes, name: str) -> list[list[Line]]:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    pages: list[list[Line]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                lines = [Line(line["text"], line["x0"], line["x1"], line["bottom"] - line["top"], line["top"])
                         for line in page.extract_text_lines(strip=True)]
                pages.append(lines)
    except PdfminerException as exc:
        if "Password" in repr(exc.args) or "Encrypt" in repr(exc.args):
            raise InputError(name, "encrypted (password-protected) PDF; remove the password first") from None
        raise InputError(name, f"corrupt PDF ({_cause(exc)})") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise InputError(name, f"corrupt PDF ({type(exc).__name__})") from None
    return pages


def _cause(exc: Exception) -> str:
    inner = exc.args[0] if exc.args else exc
    return type(inner).__name__ if isinstance(inner, Exception) else str(inner)[:60]


def _info_title(data: bytes) -> str | None:
    """The Title of the PDF's Info dictionary, when it has one (pdfminer decodes it to bytes)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        info = PDFDocument(PDFParser(io.BytesIO(data))).info
        raw = resolve1(info[0].get("Title")) if info else None
    except Exception:  # metadata is optional: a damaged Info dictionary is no reason to refuse the text
        return None
    if isinstance(raw, bytes):
        text = raw.decode("utf-16") if raw.startswith((b"\xfe\xff", b"\xff\xfe")) else raw.decode("latin-1")
        return text.strip() or None
    return None
