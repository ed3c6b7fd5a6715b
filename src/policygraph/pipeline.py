"""The pipeline's stages put together: file or URL → source → normalised → structure → duties."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .normalize import normalize
from .read import read_path
from .structure import Document, parse


def parse_file(path: str | Path) -> Document:
    """Read, normalise and parse a regulation file.

    >>> parse_file("data/脱贫攻坚责任制实施办法.txt").title
    '脱贫攻坚责任制实施办法'
    """
    return parse(normalize(read_path(path)))


def read_document(path: str | Path) -> Document:
    """As ``parse_file``, for a user's input: a file, URL or page with no provisions is an InputError.

    >>> read_document("data/脱贫攻坚责任制实施办法.txt").articles[28].label
    '第二十九条'
    """
    document = parse_file(path)
    if not document.provisions:
        raise InputError(str(path), "no provisions found (第…条, or numbered 一、 （一） 1.); is this a regulation?")
    return document
