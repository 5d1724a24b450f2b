import django.db.models.deletion
from django.db import migrations, models


# The full-text index (see gongkai/search/backends.py): FTS5 on SQLite, tsvector + GIN on PostgreSQL.
SQLITE_INSTALL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_tokens, body_tokens, "
    "content='search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title_tokens, body_tokens) "
    "VALUES (new.id, new.title_tokens, new.body_tokens); END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.id, old.title_tokens, old.body_tokens); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.id, old.title_tokens, old.body_tokens); "
    "INSERT INTO search_fts(rowid, title_tokens, body_tokens) "
    "VALUES (new.id, new.title_tokens, new.body_tokens); END",
)
SQLITE_UNINSTALL = (
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TABLE IF EXISTS search_fts",
)
POSTGRES_INSTALL = (
    "ALTER TABLE search_entry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')) STORED",
    "CREATE INDEX search_entry_vector ON search_entry USING gin (vector)",
)
POSTGRES_UNINSTALL = (
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS vector",
)

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
    "postgresql": (POSTGRES_INSTALL, POSTGRES_UNINSTALL),
}


def install_index(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement)


def uninstall_index(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("orgs", "0002_name_history_aliases"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("rebuilt_at", models.DateTimeField(blank=True, null=True, verbose_name="上次重建")),
                ("fingerprint", models.CharField(blank=True, max_length=32, verbose_name="词典指纹")),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="条目数")),
            ],
            options={"verbose_name": "索引状态", "verbose_name_plural": "索引状态"},
        ),
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=40, verbose_name="来源")),
                ("key", models.CharField(max_length=64, verbose_name="来源编号")),
                ("url", models.CharField(max_length=300, verbose_name="链接")),
                ("title", models.CharField(max_length=500, verbose_name="标题")),
                ("body", models.TextField(blank=True, verbose_name="正文")),
                ("category", models.CharField(blank=True, max_length=60, verbose_name="类别")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="发布日期")),
                ("title_tokens", models.TextField(blank=True)),
                ("body_tokens", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True, verbose_name="索引时间")),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="发布机构",
                    ),
                ),
            ],
            options={
                "verbose_name": "搜索索引条目",
                "verbose_name_plural": "搜索索引条目",
                "indexes": [
                    models.Index(fields=["published_at"], name="search_entry_published"),
                    models.Index(fields=["organisation", "published_at"], name="search_entry_org"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("source", "key"), name="search_entry_source_key"),
                ],
            },
        ),
        migrations.RunPython(install_index, uninstall_index),
    ]
