"""The implementation behind `perfscore.strategies`; import the public names from there.

Valid facts (`_facts`), facts broken in one place (`_invalid`), random rubrics (`_rubrics`,
written out by `_dump`) and the property checks (`_properties`). Every module here needs
Hypothesis, so the missing extra is reported once, here, before any of them is read.
"""

try:
    import hypothesis  # noqa: F401 - only to report the missing extra by name
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "perfscore.strategies needs Hypothesis; install it with "
        "`pip install 'perfscore[hypothesis]'`"
    ) from _exc
