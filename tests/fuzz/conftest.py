"""The fuzz suite: hypothesis profiles are loaded before any test module builds its settings."""

from tests.fuzz import profiles  # noqa: F401  (registers and loads the profile)
