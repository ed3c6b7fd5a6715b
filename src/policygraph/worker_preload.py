"""Imported once by the fork server that local worker processes fork from (``parallel.local_executor``): a
worker's state (lexicon, NLP pipeline with jieba's dictionary, graph builder) is made there, once, and every
worker forked from it starts with it instead of making its own (on two cores, the second copy took CPU from the
first documents). Should it fail, each worker makes its own, and reports the error there."""

from __future__ import annotations

from contextlib import suppress

from .parallel import warm

with suppress(Exception):
    warm()
