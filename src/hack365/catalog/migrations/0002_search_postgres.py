"""The PostgreSQL search table (hack365.catalog.search.postgres). Nothing on
other databases: the embedded backend keeps its index in a directory."""

from django.db import migrations

TABLE = "catalog_search_document"
SAMPLE_TABLE = "catalog_search_sample"  # the rows with dataset_id % 64 == 0
COLUMNS = """
    dataset_id bigint NOT NULL PRIMARY KEY,
    sample smallint NOT NULL DEFAULT 0,
    withdrawn boolean NOT NULL DEFAULT false,
    modified bigint NOT NULL DEFAULT 0,
    publisher text NOT NULL DEFAULT '',
    themes text[] NOT NULL DEFAULT '{}',
    formats text[] NOT NULL DEFAULT '{}',
    license text NOT NULL DEFAULT '',
    access_rights text NOT NULL DEFAULT '',
    facet_keys text[] NOT NULL DEFAULT '{}',
    document tsvector NOT NULL
"""

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ({COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS {SAMPLE_TABLE} ({COLUMNS})",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_modified ON {TABLE} (modified DESC, dataset_id DESC)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_facet_keys ON {TABLE} USING gin (facet_keys)",
    f"CREATE INDEX IF NOT EXISTS {SAMPLE_TABLE}_document ON {SAMPLE_TABLE} USING gin (document)",
]
DROP = [f"DROP TABLE IF EXISTS {TABLE}, {SAMPLE_TABLE}"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
