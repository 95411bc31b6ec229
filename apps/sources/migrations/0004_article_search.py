"""Full-text search over articles (PostgreSQL only; SQLite searches without an index).

A stored generated column holds each article's tsvector: the title weighted A, the text B,
with a GIN index. It is stored rather than only indexed because search reads it row by row
(testing the articles of a small window, ranking the candidates), and computing to_tsvector
again costs most of a millisecond per article. The model does not declare it: PostgreSQL
fills it on every insert and update, and Django never names it. apps/sources/search.py
reads it.

The text is cut at 100,000 characters (longer than any news article) so that no text can
exceed tsvector's 1 MB limit and make its article impossible to store.
"""

from django.db import migrations

from apps.common.postgres import RunSQLOnPostgres

ADD = """
ALTER TABLE sources_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, left(text, 100000)), 'B')
) STORED;
CREATE INDEX article_search_idx ON sources_article USING gin (search_document);
"""
DROP = """
DROP INDEX IF EXISTS article_search_idx;
ALTER TABLE sources_article DROP COLUMN IF EXISTS search_document;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_article_published_idx"),
    ]

    operations = [RunSQLOnPostgres(ADD, reverse_sql=DROP)]
