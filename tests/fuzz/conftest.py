"""Hypothesis profiles for the fuzz tests: a bounded run inside ``make test``, a long one for ``make fuzz``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No wall-clock deadline (this machine is shared, deadlines would be flaky); a hang is caught by an alarm.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=40, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("fuzz", max_examples=3000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("YANYANA_FUZZ_PROFILE", "default"))
