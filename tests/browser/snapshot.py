"""Put the test database back as it was, for a browser test module that adds data of its own on
top of the package's demo data.

`take()` copies every table into a schema of its own; `restore()` empties the tables and copies
the rows back, in one transaction (Django's foreign keys are checked at commit), then drops the
copy. The demo's few thousand rows come back in well under a second, where flushing and loading
the demo again takes some 15 seconds. PostgreSQL only, as the browser suite is.
"""

from django.db import connection, transaction

SCHEMA = "browser_snapshot"


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f'SELECT count(*) FROM public."{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def take() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in _tables():
            cursor.execute(f'CREATE TABLE {SCHEMA}."{table}" AS TABLE public."{table}"')


def restore() -> None:
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'public."{table}"' for table in tables))
        for table in tables:
            columns = ", ".join(f'"{name}"' for name in _stored_columns(cursor, table))
            cursor.execute(
                f'INSERT INTO public."{table}" ({columns}) OVERRIDING SYSTEM VALUE '
                f'SELECT {columns} FROM {SCHEMA}."{table}"'
            )
        cursor.execute(f"DROP SCHEMA {SCHEMA} CASCADE")


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _stored_columns(cursor, table: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The columns a row is written with: not those PostgreSQL generates (search documents)."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]
