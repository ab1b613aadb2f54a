"""Frozen entry point of the ``yanyana`` command (console)."""

from reader.cli import main

raise SystemExit(main())
