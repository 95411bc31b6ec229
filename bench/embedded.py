"""A fresh LabIntel for a benchmark: SQLite in a temp dir (or a new, throwaway PostgreSQL
database when a server URL is given), in-process tasks, the seed entities and storylines
loaded, whatever the caller's environment points at."""

import atexit
import io
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def fresh_labintel(var_dir: Path, *, postgres: str | None = None) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    if postgres:
        os.environ["DATABASE_URL"] = _throwaway_database(postgres)
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


def _throwaway_database(server_url: str) -> str:
    """A new database on the server of `server_url`, dropped when the benchmark exits."""
    import psycopg

    name = f"labintel_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return urlunsplit(parts._replace(path=f"/{name}"))
