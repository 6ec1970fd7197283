"""Entanglement: build a source-cited SQLite database from verbatim documents and curated records."""

__version__ = "0.1.0"
