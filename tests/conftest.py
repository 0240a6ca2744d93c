"""Shared test configuration.

Hypothesis runs derandomized by default ("ci" profile), so a failure found once is found
again on every run and on CI. Pick another profile with ``HYPOTHESIS_PROFILE=dev``
to explore fresh random examples locally.
"""

import os

# The test machines have 2 cores shared by pytest, nbval's kernels and the browser: one
# BLAS thread per process avoids oversubscription, which makes small matrix work (a
# pseudo-inverse, a capacity sweep) many times slower. Kernels started by nbval and the
# browser tests' servers inherit it. It changes no result, only how busy the cores are.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

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
