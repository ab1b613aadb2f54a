"""The frozen bundle, when `make dist` has built one here: the same smoke test as `make dist-check`.

`make test` never builds the bundle (minutes of CPU); this test runs only when dist/ holds a tarball.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

HAS_BUNDLE = any((ROOT / "dist").glob("yanyana-*-linux-*.tar.gz"))


@pytest.mark.slow
@pytest.mark.skipif(not HAS_BUNDLE, reason="no bundle in dist/ (run `make dist`)")
def test_the_frozen_bundle_imports_translates_exports_and_opens_offline() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "build-aux" / "dist_check.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dist-check passed" in done.stdout
