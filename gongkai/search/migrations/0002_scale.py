from django.db import migrations

# For 1,000,000 entries (docs/decisions/0006-search.md). SQLite: the covering index the
# backend's window reads (gongkai/search/backends.py), and 64 MB instead of 1 MB of pending
# terms before FTS5 writes a segment (a rebuild merges far fewer segments: a fifth less time
# per entry at 100,000). PostgreSQL: lz4 instead of pglz for the large columns, where the
# server has it (about a sixth less server CPU per entry written).
HASHSIZE = "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', %s)"
SQLITE = (
    (
        "CREATE INDEX search_entry_window "
        "ON search_entry (id, source, published_at, organisation_id)",
        HASHSIZE % (64 * 2**20),
    ),
    ("DROP INDEX IF EXISTS search_entry_window", HASHSIZE % 2**20),
)
COMPRESSED = ("body", "title_tokens", "body_tokens", "vector")
HAS_LZ4 = (
    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
)


def _compression(schema_editor, method):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(HAS_LZ4)
        if not cursor.fetchone()[0]:
            return
    for column in COMPRESSED:
        schema_editor.execute(
            f"ALTER TABLE search_entry ALTER COLUMN {column} SET COMPRESSION {method}"
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE[0]:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        _compression(schema_editor, "lz4")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE[1]:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        _compression(schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
