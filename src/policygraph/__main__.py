"""``python -m policygraph``."""

from .cli import app

app()
