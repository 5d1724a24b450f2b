"""A throw-away site for one benchmark run: a temporary ``var/`` directory with the bench
settings (no shared cache) and, on PostgreSQL, a database of its own — both removed afterwards,
also when the run fails."""

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def pg_admin(statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the server's maintenance database."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(statement)


@contextmanager
def scratch_site(name: str, *, postgres: str | None = None) -> Iterator[Path]:
    """Set up the environment of a site in a new temporary directory (yielded) before Django
    starts: SQLite in that directory, or the PostgreSQL database ``postgres``, created anew."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"gongkai-bench-{name}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["GONGKAI_VAR_DIR"] = str(var_dir)
    os.environ.pop("GONGKAI_CACHE_URL", None)
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        pg_admin(f"DROP DATABASE IF EXISTS {postgres} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {postgres}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{postgres}"
    sys.path.insert(0, str(ROOT))
    try:
        yield var_dir
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)
        if postgres:
            pg_admin(f"DROP DATABASE IF EXISTS {postgres} WITH (FORCE)")


def postgres_version() -> str:
    """The database server's name and version (after ``django.setup()``), e.g. "PostgreSQL 15.8"."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return str(cursor.fetchone()[0]).split(" on ")[0]
