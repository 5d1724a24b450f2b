"""Issue 3's target: document list and detail pages under 20 concurrent clients.

Serves the site with gunicorn (2 workers, the machine's 2 cores) on a fresh SQLite database
holding DOCUMENTS published documents, then drives it with wrk (20 connections, 2 threads) for
the bare Django view (baseline), the library's first page, a filtered library page and a
document page — with the file cache (the embedded default), with Redis, and with the page cache
off (the cost of rendering). Target: p95 < 50 ms and at least half the baseline's requests per
second. The cached runs measure warm pages (decision 0005).

    .venv/bin/python bench/publishing_pages.py            # or: make bench
    DOCUMENTS=5000 SECONDS=15 .venv/bin/python bench/publishing_pages.py

Needs wrk (Debian: apt-get install wrk).
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = int(os.environ.get("DOCUMENTS", "2000"))
SECONDS = int(os.environ.get("SECONDS", "10"))
PORT = int(os.environ.get("PORT", "8765"))


def setup_database(env: dict[str, str]) -> str:
    """Migrate, load organisations and DOCUMENTS published documents; return a detail path."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from gongkai.accounts.models import AccountKind, User
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.services import org_load_reference_data
    from gongkai.publishing.identifiers import format_index_no
    from gongkai.publishing.models import Document, DocumentVersion, Genre, Topic

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    organisations = list(Organisation.objects.filter(is_active=True))
    genres = list(Genre.objects.filter(is_interpretation=False))
    topics = list(Topic.objects.exclude(parent=None))
    author = User.objects.create_user(
        username="bench", kind=AccountKind.STAFF, organisation=organisations[0]
    )
    rng = random.Random(20181)
    documents = []
    for n in range(DOCUMENTS):
        org = rng.choice(organisations)
        written = date(2016, 1, 1) + timedelta(days=rng.randrange(3650))
        documents.append(
            Document(
                index_no=format_index_no(org_code=org.code, year=written.year, seq=n + 1),
                title=f"{org.name}关于做好{rng.choice(topics).name}工作的通知（{n}）",
                organisation=org,
                doc_no=f"京政发〔{written.year}〕{n + 1}号",
                genre=rng.choice(genres),
                topic=rng.choice(topics),
                written_on=written,
                formed_on=written,
                published_at=timezone.make_aware(datetime.combine(written, datetime.min.time())),
                summary="为进一步做好相关工作，现就有关事项通知如下。" * 3,
                body="<p>"
                + "各区人民政府，市政府各委、办、局：现将有关事项通知如下。" * 40
                + "</p>",
                disclosure="proactive",
                status="published",
                created_by=author,
            )
        )
    Document.objects.bulk_create(documents, batch_size=500)
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                version=1,
                title=d.title,
                doc_no=d.doc_no,
                summary=d.summary,
                body=d.body,
                published_at=d.published_at,
            )
            for d in Document.objects.all()
        ],
        batch_size=500,
    )
    sample = Document.objects.order_by("?").first()
    assert sample is not None
    from django.urls import reverse

    return reverse("publishing:detail", args=[sample.index_no])


def wrk(url: str) -> tuple[float, float, float, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c20", f"-d{SECONDS}s", "-s", str(ROOT / "bench" / "p95.lua"), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    rps, p50, p95, errors = line.split()[1:]
    return float(rps), float(p50), float(p95), int(errors)


CACHE_MODES = [
    ("file cache (embedded default)", {}),
    ("Redis cache (GONGKAI_CACHE_URL)", {"GONGKAI_CACHE_URL": "redis://127.0.0.1:6379/2"}),
    ("no page cache (every request renders)", {"GONGKAI_PAGE_CACHE_SECONDS": "0"}),
]


def run_mode(name: str, env: dict[str, str], detail: str) -> None:
    shutil.rmtree(Path(env["GONGKAI_VAR_DIR"]) / "cache", ignore_errors=True)
    subprocess.run(["redis-cli", "-n", "2", "flushdb"], capture_output=True, check=False)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--log-level", "warning", "gongkai.config.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/bare/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        print(f"-- {name}")
        baseline = 0.0
        for label, path in [
            ("bare Django view (baseline)", "/bench/bare/"),
            ("library, first page", "/xxgk/zc/"),
            ("library, filtered (year + genre)", "/xxgk/zc/?year=2018&genre=11"),
            ("document page", detail),
        ]:
            rps, p50, p95, errors = wrk(base + path)
            baseline = baseline or rps
            met = p95 < 50 and rps >= baseline / 2
            verdict = "" if label.startswith("bare") else ("  OK" if met else "  MISSES TARGET")
            print(
                f"{label:<34} {rps:8.1f} req/s ({rps / baseline:5.2f}× baseline)  "
                f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  errors {errors}{verdict}"
            )
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    var = tempfile.mkdtemp(prefix="gongkai-bench-pages-")
    env = {"DJANGO_SETTINGS_MODULE": "bench.settings", "GONGKAI_VAR_DIR": var}
    detail = setup_database(env)
    print(f"{DOCUMENTS} documents, wrk -t2 -c20 -d{SECONDS}s, gunicorn -w 2, SQLite")
    try:
        for name, extra in CACHE_MODES:
            run_mode(name, {**env, **extra}, detail)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
