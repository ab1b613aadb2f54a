"""Yanyana: a side-by-side reader with offline translation and annotations."""

__version__ = "0.1.0"
