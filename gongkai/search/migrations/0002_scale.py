from django.db import migrations

# For 1,000,000 entries (docs/decisions/0006-search.md). SQLite: the covering index the
# backend's window reads (gongkai/search/backends.py); FTS5 keeps 64 MB instead of 1 MB of
# pending terms before it writes a segment, and merges 8 segments of a level instead of 4 (a
# rebuild rewrites the index far fewer times: a fifth less time per entry at 100,000).
# PostgreSQL: lz4 instead of pglz for the large columns, where the server has it (about a
# sixth less server CPU per entry written).
FTS_CONFIG = "INSERT INTO search_fts(search_fts, rank) VALUES ('{}', {})"
SQLITE = (
    (
        "CREATE INDEX search_entry_window "
        "ON search_entry (id, source, published_at, organisation_id)",
        FTS_CONFIG.format("hashsize", 64 * 2**20),
        FTS_CONFIG.format("automerge", 8),
    ),
    (
        "DROP INDEX IF EXISTS search_entry_window",
        FTS_CONFIG.format("hashsize", 2**20),
        FTS_CONFIG.format("automerge", 4),
    ),
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

    operations = [
        # Queries go through the full-text index and the window; these only slowed writes.
        migrations.RemoveIndex(model_name="entry", name="search_entry_published"),
        migrations.RemoveIndex(model_name="entry", name="search_entry_org"),
        migrations.RunPython(forwards, backwards),
    ]
