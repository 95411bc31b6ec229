"""What only PostgreSQL has, for the code that must still run on SQLite (the embedded default)."""

from typing import Any

from django.db import migrations


class RunSQLOnPostgres(migrations.RunSQL):
    """A migration's RunSQL that does nothing on other databases: full-text indexes and the
    like, which SQLite has no use for (its searches scan)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)
