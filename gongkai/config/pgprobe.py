"""Print the PostgreSQL URL the test suite should use, or nothing when none is reachable.

``DATABASE_URL`` wins when set; otherwise a local server with trust auth (127.0.0.1:5432,
user ``postgres``) is tried, as on the project's machines.
"""

import os

import psycopg

LOCAL_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def reachable_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("postgres"):
        return ""
    candidate = url or LOCAL_URL
    try:
        with psycopg.connect(
            candidate.replace("postgres://", "postgresql://", 1), connect_timeout=3
        ):
            return candidate
    except psycopg.Error:
        return ""


if __name__ == "__main__":
    print(reachable_url())
