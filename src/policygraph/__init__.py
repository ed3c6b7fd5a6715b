"""policygraph: who is responsible for what in Chinese regulations."""

__version__ = "0.1.0"
