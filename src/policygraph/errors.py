"""Errors users see: each names the input and the problem in one line."""

from __future__ import annotations


class PolicygraphError(Exception):
    """Base class for errors shown to users without a traceback."""


class InputError(PolicygraphError):
    """An input file that cannot be read as a regulation.

    >>> str(InputError("a.png", "binary file (PNG image), not text"))
    'a.png: binary file (PNG image), not text'
    """

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


class StoreError(PolicygraphError):
    """The store cannot be opened or written."""


class ShapeError(PolicygraphError):
    """A document graph violates the SHACL shapes; nothing was written."""
