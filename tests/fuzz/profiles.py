"""Hypothesis profiles for the fuzz suite, picked by HYPOTHESIS_PROFILE (default "ci").

- "ci": derandomized (the same examples on every run and every machine), no example database,
  few examples: the whole package stays well under a minute in `make test`.
- "long": random, with an example database under var/ (git-ignored) that remembers every
  failure and replays it first next time, and many more examples: for deep runs by hand,
  `HYPOTHESIS_PROFILE=long FUZZ_SECONDS=300 pytest tests/fuzz`.

A test asks for `examples(n)`: n under "ci", a multiple of n under "long", so the cheap targets
and the costly ones (a PostgreSQL round trip, a trafilatura pass) keep their proportions.
"""

import os
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[2]
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG_FACTOR = int(os.environ.get("FUZZ_FACTOR", "50"))
# Generated inputs are large (whole feeds and pages); generation being slower than a unit
# test's is expected, not a problem worth failing on.
_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=50,
    # Generous, as CI machines are shared; a hang is caught by `no_hang`, a slow parse by the
    # time limits each test asserts.
    deadline=timedelta(seconds=10),
    suppress_health_check=_SLOW_INPUTS,
    print_blob=True,
)
settings.register_profile(
    "long",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(ROOT / "var" / "hypothesis"),
    max_examples=50 * LONG_FACTOR,
    deadline=timedelta(seconds=10),
    suppress_health_check=_SLOW_INPUTS,
    print_blob=True,
)
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """How many examples a test of base size `n` runs under the loaded profile."""
    return n * LONG_FACTOR if PROFILE == "long" else n


def fuzz_seconds(default: float) -> float:
    """The time budget of one bytes-level fuzz run: FUZZ_SECONDS, else `default`."""
    return float(os.environ.get("FUZZ_SECONDS", default))
