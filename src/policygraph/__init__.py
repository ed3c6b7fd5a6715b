"""policygraph: who is responsible for what in Chinese regulations.

>>> import policygraph
>>> callable(policygraph.open)
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .client import PolicyGraph


# Shadows the builtin open() inside this package on purpose: policygraph.open(store) reads well.
def open(store: str | Path, *, read_only: bool = False, **options: Any) -> PolicyGraph:
    """Open a policygraph store: a directory for the embedded store, or a SPARQL 1.1 server's URL."""
    from .client import open_graph

    return open_graph(store, read_only=read_only, **options)
