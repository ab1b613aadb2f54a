"""Start the Yanyana window: ``python main.py [--screenshot PATH] [DOC]``."""

from reader.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
