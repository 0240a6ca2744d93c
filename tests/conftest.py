"""Shared test configuration: the Hypothesis profile, an off-screen matplotlib backend and
closing every figure after each test.

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

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

# Draw off-screen: the tests check what is drawn, not a window. (The notebooks' kernels are
# other processes and keep their inline backend.)
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test drew, so none leaks into the next test."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
