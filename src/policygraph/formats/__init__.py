"""Documents that are not plain text, recognised by their content (magic bytes), not their extension.

Each reader turns a file into the text a person reads in it, one line per paragraph; offsets later in the
pipeline are into that text (``policygraph parse --format text`` prints it). A file that cannot be read
raises an InputError naming the problem in one line.

=========  ==============================================  ==================================
format     recognised by                                   read with
=========  ==============================================  ==================================
docx       zip holding ``word/document.xml``               python-docx (paragraphs and tables)
pdf        ``%PDF-``                                        pdfplumber (text layer, lines re-joined)
doc        OLE2 compound file with a ``WordDocument``       Debian's antiword (catdoc as fallback)
wps        OLE2 file named .wps (WPS Office / MS Works)     as doc when it holds Word data, else an error
ofd        zip holding ``OFD.xml`` (GB/T 33190)              its XML, directly (``ofd.py``)
html       ``<html``/doctype, or .html/.htm                 a boilerplate remover, then BeautifulSoup
mhtml      MIME ``multipart/related`` (.mhtml/.mht)          the email package, then as html
=========  ==============================================  ==================================
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..errors import InputError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_FORMATS = ("docx", "pdf", "doc", "wps", "ofd")


@dataclass(frozen=True)
class Extracted:
    """What a reader found: the text, and the title and date the file's metadata give (if any)."""

    text: str
    title: str | None = None
    published: str | None = None


def sniff(data: bytes, name: str) -> str | None:
    """The document format of ``data`` by its content, or None when it is not one of DOCUMENT_FORMATS.

    >>> sniff(b"%PDF-1.7 ...", "rule.txt")
    'pdf'
    >>> sniff("第一条".encode(), "rule.pdf") is None
    True
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        return "wps" if name.lower().endswith(".wps") else "doc"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if name.lower().endswith((".wps", ".wpt")):
        raise InputError(name, "a WPS document in an older WPS format that no tool here reads; "
                         "save it as .docx or PDF in WPS Office and try again")
    return None


def _zip_kind(data: bytes, name: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(name, "corrupt zip archive (a damaged .docx or .ofd?)") from None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return "ofd"
    if "[Content_Types].xml" in names:
        raise InputError(name, "an Office Open XML file that is not a Word document (a spreadsheet or slides?)")
    raise InputError(name, "a zip archive, not a Word (.docx) or OFD document; unpack it and read the file inside")


def extract(data: bytes, name: str, kind: str) -> Extracted:
    """Read a document of format ``kind`` (from ``sniff``)."""
    if kind == "docx":
        from .office import read_docx

        return read_docx(data, name)
    if kind in ("doc", "wps"):
        from .office import read_doc

        return read_doc(data, name, kind)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name)
    if kind == "ofd":
        from .ofd import read_ofd

        return read_ofd(data, name)
    raise ValueError(kind)
