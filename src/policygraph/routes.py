"""Where the routes were: they are now routers in ``web/`` (one module per resource, see ``api.py``) and the
functions the query workers run are in ``payloads.py``. These names stay for callers of the old module
(``policygraph.routes:payload_*`` jobs, ``implementations.py``)."""

from __future__ import annotations

from .payloads import (
    found as _found,
)
from .payloads import (
    payload_actor,
    payload_actor_duties,
    payload_actors,
    payload_article,
    payload_comparison,
    payload_document,
    payload_documents,
    payload_links,
    payload_responsibilities,
    payload_stored,
)
from .web.core import pooled as _pooled

__all__ = ["_found", "_pooled", "payload_actor", "payload_actor_duties", "payload_actors", "payload_article",
           "payload_comparison", "payload_document", "payload_documents", "payload_links",
           "payload_responsibilities", "payload_stored"]
