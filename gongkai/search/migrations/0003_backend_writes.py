from django.db import migrations

# Entries are added through the backend (gongkai/search/backends.py, decision 0006), which
# writes the FTS5 index itself on SQLite: the insert trigger goes (FTS5 wrote its pending terms
# out at every row it inserted; removals and updates keep their triggers).
SQLITE_INSERT_TRIGGER = (
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title_tokens, body_tokens) "
    "VALUES (new.id, new.title_tokens, new.body_tokens); END"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_entry_ai")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_INSERT_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_scale")]

    operations = [migrations.RunPython(forwards, backwards)]
