"""Shared test configuration.

Hypothesis runs derandomized by default ("ci" profile), so a failure found once is found
again on every run and on CI. Pick another profile with ``HYPOTHESIS_PROFILE=dev``
to explore fresh random examples locally.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
