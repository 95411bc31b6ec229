"""Search over event summaries (PostgreSQL only; SQLite searches them without an index).

A GIN index on the summary's tsvector, the expression the search page's event query repeats
(apps/dashboard/views/search.py): a rare word finds its few events in the index instead of
testing every summary. Summaries are short, so the tsvector is computed, not stored.
"""

from django.db import migrations

from apps.common.postgres import RunSQLOnPostgres

ADD = """
CREATE INDEX event_summary_search_idx ON events_event
USING gin (to_tsvector('english'::regconfig, summary));
"""
DROP = "DROP INDEX IF EXISTS event_summary_search_idx;"


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_mention_weeks"),
    ]

    operations = [RunSQLOnPostgres(ADD, reverse_sql=DROP)]
