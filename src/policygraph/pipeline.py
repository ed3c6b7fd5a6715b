"""The pipeline's stages put together: file → source → normalised → structure → duties."""

from __future__ import annotations

from pathlib import Path

from .normalize import normalize
from .read import read_path
from .structure import Document, parse


def parse_file(path: str | Path) -> Document:
    """Read, normalise and parse a regulation file.

    >>> parse_file("data/脱贫攻坚责任制实施办法.txt").title
    '脱贫攻坚责任制实施办法'
    """
    return parse(normalize(read_path(path)))
