"""Word documents: .docx with python-docx, .doc (and WPS files holding Word data) with antiword or catdoc."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError
from . import Extracted

_TIMEOUT = 60  # seconds for antiword/catdoc on one file


def read_docx(data: bytes, name: str) -> Extracted:
    """The paragraphs of a .docx (table cells too, in reading order), one per line, with the numbers Word's
    automatic numbering shows (``numbering.py``); the core title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(name, f"corrupt Word (.docx) document ({type(exc).__name__})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged part
        raise InputError(name, f"corrupt Word (.docx) document ({type(exc).__name__})") from None
    lines = list(_body_lines(document))
    # The core title, not the core dates: "created" is when someone made the file, not when it was issued.
    return Extracted("\n".join(lines), title=document.core_properties.title or None)


def _body_lines(document: object) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .numbering import Numbering

    numbering = Numbering.of(document)
    lines: list[str] = []
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            lines.append(numbering.label(block) + block.text if block.text.strip() else "")
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                lines.append(" ".join(dict.fromkeys(c for c in cells if c)))  # merged cells repeat
    return [line.strip() for line in lines if line.strip()]


def read_doc(data: bytes, name: str, kind: str) -> Extracted:
    """A legacy Word file through antiword (one line per paragraph), or catdoc where antiword fails."""
    label = "WPS (.wps)" if kind == "wps" else "Word 97-2003 (.doc)"
    if _encrypted_ole(data):  # an encrypted .docx is an OLE file too
        raise InputError(name, "encrypted (password-protected) Office document; remove the password first")
    tools = [t for t in (["antiword", "-m", "UTF-8.txt", "-w", "0"], ["catdoc", "-d", "utf-8", "-w"])
             if shutil.which(t[0])]
    if not tools:
        raise InputError(name, f"a {label} document needs antiword or catdoc (run `make install-tools`)")
    if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" not in data:
        raise InputError(name, f"a {label} file without Word text in it; save it as .docx or PDF and try again")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.doc"
        path.write_bytes(data)
        for tool in tools:
            text = _run(tool, path)
            if text and text.strip():
                return Extracted("\n".join(line.strip() for line in text.splitlines() if line.strip()))
    raise InputError(name, f"corrupt or unreadable {label} document")


def _run(tool: list[str], path: Path) -> str | None:
    try:
        proc = subprocess.run([*tool, str(path)], capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", errors="replace")


def _encrypted_ole(data: bytes) -> bool:
    """An OLE file with an EncryptionInfo stream (Office's encrypted .docx/.doc/.xlsx)."""
    return "EncryptionInfo".encode("utf-16-le") in data[:1 << 20] or "EncryptedPackage".encode("utf-16-le") in data
