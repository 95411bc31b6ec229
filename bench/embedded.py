"""A fresh embedded LabIntel for a benchmark: SQLite in a temp dir, in-process tasks, the seed
entities and storylines loaded, whatever the caller's environment points at."""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_labintel(var_dir: Path) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["LABINTEL_VAR_DIR"] = str(var_dir)
    os.environ["FETCH_ALLOW_LOOPBACK"] = "true"  # the benchmarks serve their pages on loopback
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labintel.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The seed, so that linking and the event rules do the work they do for real.
    call_command("load_seed", verbosity=0, stdout=io.StringIO())
    call_command("load_storylines", verbosity=0, stdout=io.StringIO())
