"""Settings of the differential tests (generated code, fast writers, the deferred scorecard
against their reference): a short run in the normal suite, at least 10,000 examples in the long
profile (``HYPOTHESIS_PROFILE=long``, tests/README.md)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def examples(short: int) -> settings:
    """`short` examples under the ``ci`` profile, else at least 10,000."""
    chosen = settings.get_current_profile_name()
    if chosen == "default":
        chosen = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    profile = settings.get_profile(chosen)
    count = short if chosen == "ci" else max(10_000, profile.max_examples)
    return settings(
        profile,
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
