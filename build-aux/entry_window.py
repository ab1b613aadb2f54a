"""Frozen entry point of the window (no console on Windows/macOS): ``yanyana-window [DOC]``."""

from reader.ui.app import main

raise SystemExit(main())
