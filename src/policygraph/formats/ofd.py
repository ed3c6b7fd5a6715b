"""OFD (GB/T 33190, China's format for official electronic documents), read from its XML directly.

An OFD file is a zip: ``OFD.xml`` names each document's root (``Doc_0/Document.xml``) and its DocInfo
(title, creation date); the document lists its pages in order; each page's ``Content.xml`` holds
``TextObject`` elements (a ``Boundary`` "x y w h" in millimetres) whose ``TextCode`` children carry the
text at X/Y inside the boundary, with per-character advances in ``DeltaX``. Text is put in reading order
(top to bottom, left to right) and the lines of a paragraph joined as for PDF. No PyPI OFD reader was
reliable and light enough (the candidates pull in rendering stacks to get at the same XML).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import defaultdict
from xml.etree import ElementTree as ET

from ..errors import InputError
from . import Extracted
from .layout import Line, paragraphs

_MAX_XML = 50 * 1024 * 1024  # bytes of one XML part: more is not a regulation


def read_ofd(data: bytes, name: str) -> Extracted:
    """The text of every page of the first document in an OFD file, one paragraph per line."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = _xml(z, _member(z, "OFD.xml"), name)
            body = _child(root, "DocBody")
            doc_root = _text(body, "DocRoot") if body is not None else None
            if not doc_root:
                raise InputError(name, "empty OFD document (OFD.xml names no DocRoot)")
            pages = _pages(z, doc_root.lstrip("/"), name)
    except zipfile.BadZipFile:
        raise InputError(name, "corrupt OFD document (a damaged zip)") from None
    info = _child(body, "DocInfo") if body is not None else None
    if not any(line.text.strip() for page in pages for line in page):
        raise InputError(name, "an OFD document with no text (empty, or a scan; OCR it first)")
    title = _text(info, "Title") if info is not None else None
    created = _text(info, "CreationDate") if info is not None else None
    return Extracted("\n".join(paragraphs(pages)), title=title or None, published=(created or "")[:10] or None)


def _pages(z: zipfile.ZipFile, doc_path: str, name: str) -> list[list[Line]]:
    document = _xml(z, _member(z, doc_path), name)
    base = posixpath.dirname(doc_path)
    pages_el = _child(document, "Pages")
    pages: list[list[Line]] = []
    for page in [] if pages_el is None else [p for p in pages_el if _local(p.tag) == "Page"]:
        loc = page.get("BaseLoc", "")
        path = loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
        pages.append(_lines(_xml(z, _member(z, path), name)))
    return pages


def _lines(content: ET.Element) -> list[Line]:
    """The page's text in reading order: pieces at one height form a line."""
    rows: dict[float, list[tuple[float, float, str, float, float]]] = defaultdict(list)
    for obj in content.iter():
        if _local(obj.tag) != "TextObject":
            continue
        bx, by, _, _ = _numbers(obj.get("Boundary", "0 0 0 0"), 4)
        size = float(obj.get("Size", "3.5") or 3.5)
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            x = bx + float(code.get("X", "0") or 0)
            y = by + float(code.get("Y", "0") or 0)
            advances = _deltas(code.get("DeltaX", ""))
            width = sum(advances[: len(code.text) - 1]) + size if advances else len(code.text) * size
            rows[round(y / (size / 2))].append((x, x + width, code.text, size, y - size))
    lines = []
    for key in sorted(rows):
        pieces = sorted(rows[key])
        lines.append(Line("".join(p[2] for p in pieces), pieces[0][0], pieces[-1][1], pieces[0][3], pieces[0][4]))
    return lines


def _deltas(spec: str) -> list[float]:
    """DeltaX: advances, where ``g N D`` stands for N times D.

    >>> _deltas("g 3 3.5 1")
    [3.5, 3.5, 3.5, 1.0]
    """
    out: list[float] = []
    tokens = spec.split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(tokens[i + 1]))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _numbers(spec: str, n: int) -> list[float]:
    values = [float(v) for v in spec.split()[:n]]
    return values + [0.0] * (n - len(values))


def _member(z: zipfile.ZipFile, path: str) -> str:
    names = {n.lower(): n for n in z.namelist()}
    return names.get(path.lower(), path)


def _xml(z: zipfile.ZipFile, path: str, name: str) -> ET.Element:
    try:
        info = z.getinfo(path)
    except KeyError:
        raise InputError(name, f"incomplete OFD document ({path} is missing)") from None
    if info.file_size > _MAX_XML:
        raise InputError(name, f"OFD part {path} is too large ({info.file_size} bytes)")
    try:
        return ET.fromstring(z.read(path))
    except ET.ParseError as exc:
        raise InputError(name, f"corrupt OFD document ({path}: {exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, tag: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == tag), None)


def _text(el: ET.Element, tag: str) -> str | None:
    child = _child(el, tag)
    return child.text.strip() if child is not None and child.text else None
