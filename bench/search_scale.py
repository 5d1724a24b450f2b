"""The search issue's targets at scale: query latency over 1,000,000 documents, indexing rate.

Targets: p95 of 1–3 word queries ≤ 50 ms on SQLite and ≤ 100 ms on PostgreSQL over 1,000,000
generated documents, measured together with a naive ``icontains`` scan on a smaller set (for the
ratio); indexing ≥ 2,000 documents/s using both cores.

    .venv/bin/python bench/search_scale.py                           # 1,000,000 docs, both
    .venv/bin/python bench/search_scale.py --docs 20000 --backend sqlite      # about a minute

**Documents** are generated deterministically (document *i* from its own seeded generator) from
the shared corpus ``../shared/corpus/laws-zh.jsonl.gz`` (3,471 laws and regulations, read in
place): titles built like government document titles (关于…的通知/意见, 关于印发《…》的通知, from
corpus titles and the purpose clauses of their texts), bodies of consecutive corpus paragraphs
(200–3,000 characters, log-normal, median about 800), dates over 2000–2026, eight
organisations; 1 % carry a contact name and mobile number and 0.3 % an ID card number, so that
masking has work to do. The bench source's ``fetch(None)`` produces them lazily.

**Per backend** (a fresh SQLite file in a temporary directory, or the PostgreSQL database
``gk_bench_search``, dropped and created; each backend runs in its own process):

1. the first ``--naive-docs`` documents indexed with ``index_rebuild(workers=1)``, then again
   with ``workers=2`` (the two-core speed-up); on this small set the query set runs through
   ``search()`` and through the naive scan (``icontains`` on title or body for every word, the
   newest 10 plus ``count()``);
2. all ``--docs`` documents indexed with ``index_rebuild(workers=2)`` as the code does it now;
3. the query set through ``search(Query(q, source="bench"))``, after warm-up queries, twice
   (first sight, repeated); p50/p95/max overall and by number of words, the result counts, the
   slowest queries with where their time goes (each SQL statement, snippets, the rest; EXPLAIN
   ANALYZE on PostgreSQL);
4. extra measurements the code does not do itself: SQLite FTS5 ``optimize`` and the queries
   again; PostgreSQL: the GIN index dropped and built after the rows (and, with
   ``--gin-split``, the whole load again without the GIN index).
"""

import argparse
import gzip
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "laws-zh.jsonl.gz"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "gk_bench_search"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
SEED = 20261126
ZONE = ZoneInfo("Asia/Shanghai")
TARGET_P95_MS = {"sqlite": 50.0, "postgresql": 100.0}
TARGET_RATE = 2000.0
WARM_UP = 30
SAMPLE_DOCS = 3000  # documents whose words make the query vocabulary
PROFILED = 5
PROFILE_LIMIT_MS = 120_000  # slower queries are not run again for the profile
CREATE_GIN = "CREATE INDEX search_entry_vector ON search_entry USING gin (vector)"  # as 0001


def say(*parts: object) -> None:
    """Progress, on stderr (the Markdown report goes to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def out(text: str = "") -> None:
    print(text, flush=True)


# ---- Documents --------------------------------------------------------------------------------

_PREFIXES = re.compile(
    r"^(中华人民共和国|全国人民代表大会常务委员会关于|全国人民代表大会关于|国务院关于|"
    r"最高人民法院、最高人民检察院关于|最高人民法院关于|最高人民检察院关于|北京市|上海市|"
    r"浙江省|山东省|河南省|重庆市|广东省)"
)
_SUFFIXES = re.compile(
    r"(若干问题的解释|若干问题的规定|实施细则|实施办法|若干规定|管理条例|管理办法|暂行条例|"
    r"暂行办法|暂行规定|条例|办法|规定|决定|规则|细则|解释|法)$"
)
_PURPOSE = re.compile(r"为了?([^，。；：、（）《》\s]{4,16})[，。]")
_CLAUSE = re.compile(
    r"^(加强|规范|促进|保障|推进|提高|完善|做好|优化|深化|健全|落实|维护|保护|支持|推动)"
    r"[^，。；：、（）《》\s]{2,12}$"
)
REGIONS = ("", "", "北京市", "本市", "全市", "市级", "区级")
NOTICE_KINDS = ("通知", "通知", "意见", "实施意见", "指导意见", "若干措施", "工作方案")
ISSUED_KINDS = ("实施办法", "管理办法", "工作方案", "实施细则", "三年行动计划", "工作要点")
REPORT_KINDS = ("通知", "报告", "批复", "函", "通报")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")
GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽娟", "强", "磊", "军", "洋", "建华", "晓明")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Law:
    title: str
    category: str
    lines: tuple[str, ...]


def load_corpus() -> tuple[list[Law], list[str], list[str]]:
    """The laws (paragraph lines), title subjects and purpose phrases of the corpus."""
    laws, subjects, phrases = [], set(), set()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            paragraphs = tuple(p.strip() for p in row["text"].splitlines() if len(p.strip()) >= 6)
            if not paragraphs:
                continue
            laws.append(Law(row["title"], row["category"] or "", paragraphs))
            subject = _SUFFIXES.sub("", _PREFIXES.sub("", re.sub(r"（.*?）", "", row["title"])))
            if 2 <= len(subject) <= 20:
                subjects.add(subject)
            text = row["text"]
            phrases.update(m.group(1) for m in _PURPOSE.finditer(text))
            for piece in re.split(r"[，。；：\n]", text[:4000]):
                if _CLAUSE.match(piece.strip()):
                    phrases.add(piece.strip())
    return laws, sorted(subjects), sorted(phrases)


def id_card(rng: random.Random) -> str:
    born = datetime(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    body = f"110{rng.randrange(100, 120)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = ID_WEIGHTS
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


class Generator:
    """Document ``i`` of the bench, always the same (its own seeded ``random.Random``)."""

    def __init__(
        self, laws: list[Law], subjects: list[str], phrases: list[str], orgs: list[tuple[int, str]]
    ) -> None:
        self.laws, self.subjects, self.phrases, self.orgs = laws, subjects, phrases, orgs
        self.start = datetime(2000, 1, 1, 9, tzinfo=ZONE)
        self.days = (datetime(2026, 12, 31, tzinfo=ZONE) - self.start).days

    def plants(self, i: int) -> tuple[str | None, str | None]:
        """The personal data planted in document ``i``: (mobile number, ID card number)."""
        rng = random.Random(SEED * 7 + i)
        mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.01 else None
        card = id_card(rng) if rng.random() < 0.003 else None
        return mobile, card

    def title(self, rng: random.Random, org: str, year: int) -> tuple[str, str]:
        phrase, subject = rng.choice(self.phrases), rng.choice(self.subjects)
        shape = rng.random()
        if shape < 0.35:
            kind = rng.choice(NOTICE_KINDS)
            return f"{org}关于{phrase}的{kind}", kind
        if shape < 0.6:
            kind = rng.choice(ISSUED_KINDS)
            return f"{org}关于印发《{rng.choice(REGIONS)}{subject}{kind}》的通知", "通知"
        if shape < 0.8:
            kind = rng.choice(REPORT_KINDS)
            return f"关于{phrase}工作的{kind}", kind
        if shape < 0.92:
            law = rng.choice(self.laws)
            return law.title, law.category or "法规"
        return f"{org}关于{year}年{subject}工作情况的报告", "报告"

    def body(self, rng: random.Random, title: str, org: str) -> str:
        target = int(min(3000, max(200, rng.lognormvariate(math.log(800), 0.6))))
        parts: list[str] = []
        size = 0
        if rng.random() < 0.4:
            opening = rng.choice(
                (
                    "各区人民政府，市政府各委、办、局，各市属机构：",
                    "各有关单位：",
                    f"为{rng.choice(self.phrases)}，现就有关事项通知如下。",
                    f"现将《{title}》印发给你们，请结合实际认真贯彻落实。",
                )
            )
            parts.append(opening)
            size += len(opening)
        while size < target:
            law = rng.choice(self.laws)
            line = rng.randrange(len(law.lines))
            stretch = rng.randrange(150, 1500)
            taken = 0
            while line < len(law.lines) and taken < stretch and size < target:
                parts.append(law.lines[line])
                taken += len(law.lines[line])
                size += len(law.lines[line]) + 1
                line += 1
        text = "\n".join(parts)
        if len(text) > target:
            cut = text.rfind("。", 0, target)
            text = text[: cut + 1] if cut > target * 0.6 else text[:target]
        if rng.random() < 0.3:
            text += f"\n{org}"
        return text

    def document(self, i: int) -> Any:
        from gongkai.search.registry import IndexItem

        rng = random.Random(SEED + i)
        org_id, org = rng.choice(self.orgs)
        published = self.start + timedelta(days=rng.randrange(self.days))
        title, category = self.title(rng, org, published.year)
        body = self.body(rng, title, org)
        mobile, card = self.plants(i)
        if mobile:
            contact = f"联系人：{rng.choice(SURNAMES)}{rng.choice(GIVEN)}，联系电话：{mobile}。"
            body = f"{body}\n{contact}"
        if card:
            body = f"{body}\n申请人身份证号码{card}。"
        return IndexItem(
            key=str(i),
            url=f"/bench/{i}/",
            title=title,
            body=body,
            published_at=published,
            organisation_id=org_id,
            category=category[:60],
        )


class BenchSource:
    """The ``bench`` source: the first ``size`` generated documents."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.size = 0

    def fetch(self, keys: Collection[str] | None) -> Iterator[Any]:
        if keys is None:
            return (self.generator.document(i) for i in range(self.size))
        chosen = [int(k) for k in keys if k.isdigit() and int(k) < self.size]
        return iter([self.generator.document(i) for i in chosen])


# ---- Queries ----------------------------------------------------------------------------------

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
CLASSES = ("rare", "medium", "common")


@dataclass(frozen=True)
class BenchQuery:
    text: str
    words: tuple[str, ...]
    classes: tuple[str, ...]  # rare / medium / common / project, per word
    together: bool  # the words come from one document


def word_class(share: float) -> str:
    """By the share of the sampled documents that contain the word."""
    if share >= 0.05:
        return "common"
    return "medium" if share >= 0.002 else "rare"


def build_queries(
    generator: Generator, docs: int, count: int, seed: int
) -> tuple[list[BenchQuery], dict[str, Any]]:
    """``count`` queries of 1–3 words from the words of a sample of the generated documents."""
    from gongkai.search import dictionary
    from gongkai.search.text import normalise

    _, segmenter = dictionary.current()
    rng = random.Random(seed)
    sample = rng.sample(range(docs), min(docs, SAMPLE_DOCS))
    doc_words: list[list[str]] = []
    lengths = []
    frequency: Counter[str] = Counter()
    for i in sample:
        item = generator.document(i)
        lengths.append(len(item.body))
        words = segmenter.query_words(item.title) + segmenter.query_words(item.body)
        unique = sorted({w for w in words if _HAN.match(w)})
        doc_words.append(unique)
        frequency.update(unique)
    classes = {w: word_class(n / len(sample)) for w, n in frequency.items()}
    by_class = {c: sorted(w for w, k in classes.items() if k == c) for c in CLASSES}
    terms_file = ROOT / "gongkai" / "search" / "data" / "dictionary.txt"
    project = [
        normalise(line.strip())
        for line in terms_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    queries: list[BenchQuery] = []
    while len(queries) < count:
        size = rng.choices((1, 2, 3), weights=(40, 35, 25))[0]
        together = size > 1 and rng.random() < 0.8
        pool = rng.choice(doc_words) if together or size == 1 else None
        words: list[str] = []
        kinds: list[str] = []
        for slot in range(size):
            if slot == 0 and rng.random() < 0.1:
                words.append(rng.choice(project))
                kinds.append("project")
                continue
            wanted = rng.choice(CLASSES)
            if pool is not None:
                choices = [w for w in pool if classes[w] == wanted] or pool
            else:
                choices = by_class[wanted] or [w for ws in by_class.values() for w in ws]
            word = rng.choice(choices)
            words.append(word)
            kinds.append(classes[word])
        text = " ".join(words)
        if len(set(words)) != size or segmenter.query_words(text) != words:
            continue  # the query would not be cut into exactly these words
        queries.append(BenchQuery(text, tuple(words), tuple(kinds), together))
    lengths.sort()
    info = {
        "sample": len(sample),
        "distinct": len(frequency),
        "by_class": {c: len(ws) for c, ws in by_class.items()},
        "body_lengths": lengths,
    }
    return queries, info


# ---- Measuring --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Timed:
    query: BenchQuery
    ms: float
    total: int
    match_all: bool


def run_search(queries: Sequence[BenchQuery], budget: float = math.inf) -> list[Timed]:
    """Each query through ``search()``, timed; stops after ``budget`` seconds (the queries are in
    random order, so the ones measured are a random sample of the set)."""
    from gongkai.search.selectors import Query, search

    timed: list[Timed] = []
    began = time.perf_counter()
    for query in queries:
        if time.perf_counter() - began > budget:
            say(f"  budget of {budget:.0f} s spent after {len(timed)} of {len(queries)} queries")
            break
        start = time.perf_counter()
        results = search(Query(q=query.text, source="bench", page_size=10))
        ms = (time.perf_counter() - start) * 1000
        timed.append(Timed(query, ms, results.total, results.match_all))
    return timed


def run_naive(queries: Sequence[BenchQuery], budget: float = math.inf) -> list[Timed]:
    """The naive scan: every word in the title or the body (``icontains``), newest 10 + count."""
    from django.db.models import Q

    from gongkai.search.models import Entry

    timed: list[Timed] = []
    began = time.perf_counter()
    for query in queries:
        if time.perf_counter() - began > budget:
            say(f"  budget of {budget:.0f} s spent after {len(timed)} of {len(queries)} queries")
            break
        start = time.perf_counter()
        found = Entry.objects.filter(source="bench")
        for word in query.words:
            found = found.filter(Q(title__icontains=word) | Q(body__icontains=word))
        page = list(found.order_by("-published_at")[:10])
        total = found.count()
        ms = (time.perf_counter() - start) * 1000
        assert len(page) <= 10
        timed.append(Timed(query, ms, total, True))
    return timed


def latency_row(label: str, timed: Sequence[Timed]) -> str:
    ms = [t.ms for t in timed]
    return (
        f"| {label} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} "
        f"| {max(ms):.1f} | {sum(ms) / len(ms):.1f} |"
    )


def latency_table(rows: Sequence[tuple[str, Sequence[Timed]]]) -> None:
    out("| query set | n | p50 ms | p95 ms | max ms | mean ms |")
    out("|---|---:|---:|---:|---:|---:|")
    for label, timed in rows:
        if timed:
            out(latency_row(label, timed))
    out()


def by_words(label: str, timed: Sequence[Timed]) -> list[tuple[str, list[Timed]]]:
    rows: list[tuple[str, list[Timed]]] = [(label, list(timed))]
    for size in (1, 2, 3):
        rows.append((f"{label}, {size}-word", [t for t in timed if len(t.query.words) == size]))
    return rows


BUCKETS = ((0, 0), (1, 10), (11, 100), (101, 1000), (1001, 10_000), (10_001, 100_000))


def count_distribution(timed: Sequence[Timed]) -> str:
    counts = Counter()
    for t in timed:
        for low, high in BUCKETS:
            if low <= t.total <= high:
                counts[f"{low:,}–{high:,}" if high else "0"] += 1
                break
        else:
            counts[f"> {BUCKETS[-1][1]:,}"] += 1
    labels = [f"{low:,}–{high:,}" if high else "0" for low, high in BUCKETS]
    labels.append(f"> {BUCKETS[-1][1]:,}")
    return ", ".join(f"{label}: {counts[label]}" for label in labels)


class Recorder:
    """Every SQL statement run (its text, parameters when asked, duration) while installed."""

    def __init__(self, *, params: bool = False) -> None:
        self.calls: list[tuple[str, Any, float]] = []
        self.keep_params = params

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            self.calls.append((sql, params if self.keep_params else None, elapsed))


def statement_kind(sql: str) -> str:
    if sql.startswith("SELECT count(*)"):
        return "count"
    if sql.startswith(("SELECT e.id,", "SELECT id, score")):
        return "rank"
    if sql.startswith(("SELECT e.source, count(*)", "SELECT source, count(*)")):
        return "source_counts"
    if 'FROM "search_entry"' in sql:
        return "fetch"
    return "other"


def profile(timed: Sequence[Timed], vendor: str) -> None:
    """Where the slowest queries' time goes: SQL by statement, snippets, the rest."""
    from django.db import connection, transaction

    from gongkai.search.selectors import Query, search
    from gongkai.search.text import highlight, snippet

    slowest = sorted(timed, key=lambda t: t.ms, reverse=True)[:PROFILED]
    skipped = [t for t in slowest if t.ms > PROFILE_LIMIT_MS]
    slowest = [t for t in slowest if t.ms <= PROFILE_LIMIT_MS]
    if skipped:
        out(
            "Not run again (over "
            f"{PROFILE_LIMIT_MS / 1000:.0f} s): "
            + ", ".join(
                f"`{t.query.text}` {t.ms / 1000:.1f} s, {t.total:,} results" for t in skipped
            )
            + ".\n"
        )
    out(f"Slowest {len(slowest)} queries (first sight) and where their time goes (run again):\n")
    out(
        "| query | words (class) | results | first ms | again ms | count ms | rank ms "
        "| source_counts ms | fetch ms | other SQL ms | snippets ms | rest ms |"
    )
    out("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    explained: list[tuple[str, list[tuple[str, Any, float]]]] = []
    for t in slowest:
        recorder = Recorder(params=True)
        with connection.execute_wrapper(recorder):
            start = time.perf_counter()
            results = search(Query(q=t.query.text, source="bench", page_size=10))
            total_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        for result in results.results:
            highlight(result.entry.title, results.terms)
            snippet(result.entry.body, results.terms)
        snippets_ms = (time.perf_counter() - start) * 1000
        kinds = Counter()
        for sql, _, ms in recorder.calls:
            kinds[statement_kind(sql)] += ms
        rest = total_ms - sum(kinds.values()) - snippets_ms
        classes = ", ".join(
            f"{w} ({c})" for w, c in zip(t.query.words, t.query.classes, strict=True)
        )
        fallback = "" if t.match_all else " (any word)"
        out(
            f"| {t.query.text} | {classes} | {t.total:,}{fallback} | {t.ms:.1f} | {total_ms:.1f} "
            f"| {kinds['count']:.1f} | {kinds['rank']:.1f} | {kinds['source_counts']:.1f} "
            f"| {kinds['fetch']:.1f} | {kinds['other']:.1f} | {snippets_ms:.1f} | {rest:.1f} |"
        )
        explained.append((t.query.text, recorder.calls))
    out()
    if vendor != "postgresql":
        for text, calls in explained[:1]:
            for sql, params, _ in calls:
                if statement_kind(sql) in {"count", "rank"}:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                        plan = [str(row[-1]) for row in cursor.fetchall()]
                    out(f"EXPLAIN QUERY PLAN, `{text}` — {statement_kind(sql)}: `{sql}` → ")
                    out("; ".join(f"`{step}`" for step in plan) + "\n")
        return
    out("EXPLAIN (ANALYZE, BUFFERS) of the count and ranking statements of the 3 slowest:\n")
    for text, calls in explained[:3]:
        settings = [sql for sql, _, _ in calls if sql.startswith("SET LOCAL")]
        for sql, params, _ in calls:
            if statement_kind(sql) not in {"count", "rank"}:
                continue
            with transaction.atomic(), connection.cursor() as cursor:
                for setting in settings:  # the variant's planner settings, as it ran
                    cursor.execute(setting)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
            out(f"`{text}` — {statement_kind(sql)}:\n")
            out("```")
            out("\n".join(plan[:30]))
            out("```\n")


# ---- One backend ------------------------------------------------------------------------------


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(statement)


def empty_index(vendor: str) -> None:
    """Remove every entry (outside the timed parts), leaving a clean full-text index."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("TRUNCATE search_entry")
        else:
            cursor.execute("DELETE FROM search_entry")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


@dataclass
class Rebuild:
    docs: int
    workers: int
    seconds: float
    main_cpu: float  # this process (reads the source, writes the entries)
    workers_cpu: float  # the pool's processes
    server_cpu: float  # every PostgreSQL process (0 on SQLite: in this process)
    sql: float  # wall time inside INSERT/DELETE statements

    @property
    def rate(self) -> float:
        return self.docs / self.seconds

    def cpu_ms(self) -> str:
        per = 1000 / self.docs
        total = self.main_cpu + self.workers_cpu + self.server_cpu
        server = f", PostgreSQL {self.server_cpu * per:.2f}" if self.server_cpu else ""
        return (
            f"{total * per:.2f} ms CPU/doc (main {self.main_cpu * per:.2f}, workers "
            f"{self.workers_cpu * per:.2f}{server}); SQL statements "
            f"{self.sql * per:.2f} ms/doc wall"
        )


def server_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process on this machine (user + system, from /proc)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            if not fields[0].endswith("(postgres"):
                continue
            values = fields[1].split()
            total += int(values[11]) + int(values[12])  # utime, stime (fields 14 and 15)
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def rebuild(source: BenchSource, size: int, workers: int, label: str) -> Rebuild:
    """``index_rebuild`` of the first ``size`` documents, timed, with the CPU it took."""
    from django.db import connection

    from gongkai.search.services import index_rebuild

    source.size = size
    done = 0
    step = max(50_000, size // 20)
    recorder = Recorder()
    postgres = connection.vendor == "postgresql"
    cpu_before, server_before = os.times(), server_cpu_seconds() if postgres else 0.0
    start = time.perf_counter()

    def progress(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if done // step != before // step:
            elapsed = time.perf_counter() - start
            say(f"  {label}: {done:,} written, {elapsed:.0f} s, {done / elapsed:,.0f} docs/s")

    with connection.execute_wrapper(recorder):
        written = index_rebuild(actor=None, only=["bench"], progress=progress, workers=workers)
    seconds = time.perf_counter() - start
    cpu_after, server_after = os.times(), server_cpu_seconds() if postgres else 0.0
    assert written == size, (written, size)
    result = Rebuild(
        docs=size,
        workers=workers,
        seconds=seconds,
        main_cpu=cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system,
        workers_cpu=cpu_after.children_user
        + cpu_after.children_system
        - cpu_before.children_user
        - cpu_before.children_system,
        server_cpu=server_after - server_before,
        sql=sum(ms for sql, _, ms in recorder.calls if sql.startswith(("INSERT", "DELETE"))) / 1000,
    )
    say(f"{label}: {size:,} documents in {seconds:.1f} s = {result.rate:,.0f} docs/s")
    say(f"  {result.cpu_ms()}")
    return result


def timed_sql(statement: str) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return time.perf_counter() - start


def sizes(vendor: str, var_dir: Path) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_entry'), "
                "pg_relation_size('search_entry'), pg_relation_size('search_entry_vector')"
            )
            total, heap, gin = cursor.fetchone()
            return (
                f"table with indexes and TOAST {total / 2**30:.2f} GiB (heap {heap / 2**30:.2f} "
                f"GiB, GIN {gin / 2**30:.2f} GiB)"
            )
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
    wal = sum(p.stat().st_size for p in var_dir.glob("*.sqlite3-wal"))
    return f"database {pages * page_size / 2**30:.2f} GiB (WAL file {wal / 2**30:.2f} GiB)"


def check_masking(generator: Generator, size: int) -> tuple[int, int]:
    """Planted personal data among the first ``size`` documents, and how much is left unmasked."""
    from gongkai.search.models import Entry

    planted = {i: generator.plants(i) for i in range(size)}
    planted = {i: p for i, p in planted.items() if p[0] or p[1]}
    bodies = dict(
        Entry.objects.filter(source="bench", key__in=[str(i) for i in planted]).values_list(
            "key", "body"
        )
    )
    unmasked = sum(
        1 for i, values in planted.items() if any(v and v in bodies.get(str(i), "") for v in values)
    )
    return len(planted), unmasked


def run_backend(args: argparse.Namespace) -> None:
    vendor = args.backend
    var_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-search-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["GONGKAI_VAR_DIR"] = str(var_dir)
    os.environ.pop("GONGKAI_CACHE_URL", None)
    if vendor == "postgresql":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        measure(args, vendor, var_dir)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            say(f"kept: {var_dir}" + (f" and database {PG_DATABASE}" if vendor != "sqlite" else ""))
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
            if vendor == "postgresql":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


# ---- Variants: the backend as it is, and changes proposed (in this process only) ---------------


COUNT_CAP = 10_000  # proposed: counting stops there ("10,000+")
RANK_CAP = 1_000  # proposed: with more matches, relevance ranks this many of them


def variants(vendor: str) -> dict[str, Callable[[], Any]]:
    """Backends to measure: the code as it is first, then proposals (not in the code)."""
    from django.db import connection, transaction

    from gongkai.search.backends import (
        TITLE_WEIGHT,
        Hits,
        Order,
        PostgresBackend,
        SQLiteBackend,
        _run,
        backend_for,
    )

    class CrossJoin(SQLiteBackend):
        """FTS5 first: ``CROSS JOIN`` makes SQLite's planner keep the join order written."""

        def _from(self, terms: Any, match_all: bool, where: Any) -> tuple[str, list[Any]]:
            sql, params = super()._from(terms, match_all, where)
            return sql.replace("FROM search_fts JOIN", "FROM search_fts CROSS JOIN", 1), params

    class Capped:  # a mixin: _from and _candidates come from the classes below
        """Counting stops at COUNT_CAP + 1 ("10,000+"); when there are more than RANK_CAP
        matches, relevance orders RANK_CAP of them (``_candidates``), not all."""

        def search(
            self,
            terms: Any,
            *,
            match_all: bool,
            where: Any,
            order: Any,
            offset: int,
            limit: int,
        ) -> Any:
            source, params = self._from(terms, match_all, where)  # type: ignore[attr-defined]
            count = f"SELECT count(*) FROM (SELECT 1 {source} LIMIT {COUNT_CAP + 1}) AS hits"
            total = _run(count, params)[0][0]
            if not total or offset >= total:
                return Hits(total=total)
            if order != Order.RELEVANCE:
                return super().search(  # type: ignore[misc]
                    terms,
                    match_all=match_all,
                    where=where,
                    order=order,
                    offset=offset,
                    limit=limit,
                )
            inner, inner_params = self._candidates(  # type: ignore[attr-defined]
                terms, match_all, source, params, total > RANK_CAP
            )
            rows = _run(
                f"SELECT id, score FROM ({inner}) AS hits "
                f"ORDER BY score DESC, published_at DESC, id DESC LIMIT %s OFFSET %s",
                [*inner_params, limit, offset],
            )
            return Hits(total=total, ids=[(pk, float(score)) for pk, score in rows])

        def source_counts(self, terms: Any, *, match_all: bool, where: Any) -> dict[str, int]:
            source, params = self._from(terms, match_all, where)  # type: ignore[attr-defined]
            sql = (
                f"SELECT source, count(*) FROM (SELECT e.source {source} "
                f"LIMIT {COUNT_CAP + 1}) AS hits GROUP BY source"
            )
            return dict(_run(sql, params))

    class CappedSQLite(Capped, CrossJoin):
        """The candidates: the newest RANK_CAP matches (FTS5 walks its rowids downwards)."""

        def _candidates(
            self, terms: Any, match_all: bool, source: str, params: list[Any], capped: bool
        ) -> tuple[str, list[Any]]:
            sql = (
                f"SELECT e.id, e.published_at, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score "
                f"{source}"
            )
            if capped:
                sql += f" ORDER BY search_fts.rowid DESC LIMIT {RANK_CAP}"
            return sql, params

    class CappedPostgres(Capped, PostgresBackend):
        """Every statement through the GIN index (a bitmap scan: the planner, not counting the
        cost of reading TOASTed vectors, otherwise prefers scans that read every vector); the
        candidates: the first RANK_CAP matches in storage order."""

        def _candidates(
            self, terms: Any, match_all: bool, source: str, params: list[Any], capped: bool
        ) -> tuple[str, list[Any]]:
            query, query_params = self._query(terms, match_all)
            sql = f"SELECT e.id, e.published_at, ts_rank(e.vector, {query}, 1) AS score {source}"
            if capped:
                sql += f" LIMIT {RANK_CAP}"
            return sql, [*query_params, *params]

        def search(self, terms: Any, **kwargs: Any) -> Any:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                return super().search(terms, **kwargs)

        def source_counts(self, terms: Any, **kwargs: Any) -> dict[str, int]:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                return super().source_counts(terms, **kwargs)

    caps = f"count cap {COUNT_CAP:,}, rank cap {RANK_CAP:,}"
    found: dict[str, Callable[[], Any]] = {"as is": backend_for}
    if vendor == "sqlite":
        found["proposed: CROSS JOIN"] = CrossJoin
        found[f"proposed: CROSS JOIN + {caps}"] = CappedSQLite
    else:
        found[f"proposed: bitmap scans + {caps}"] = CappedPostgres
    return found


def use_variant(make: Callable[[], Any]) -> None:
    from gongkai.search import selectors

    backend = make()
    selectors.backend_for = lambda db=None: backend  # type: ignore[assignment]


def indexing_profile(
    generator: Generator, count: int = 1000
) -> tuple[list[tuple[str, float]], str]:
    """Per document (µs), in one process: what ``prepare`` and the pool's messages cost; and a
    proposed cheaper ``index_tokens`` compared with the present one."""
    import pickle

    from gongkai.core.privacy import mask
    from gongkai.search import dictionary
    from gongkai.search.services import prepare
    from gongkai.search.text import _base, is_token, normalise

    _, segmenter = dictionary.current()
    steps: list[tuple[str, float]] = []

    def step(label: str, fn: Callable[[], object]) -> Any:
        start = time.perf_counter()
        value = fn()
        steps.append((label, (time.perf_counter() - start) / count * 1e6))
        return value

    def one_cut(text: str) -> list[str]:
        """Proposed: one cut with the project dictionary, then jieba's own cut of only the
        project terms found (the ordinary words inside them), instead of a second full cut."""
        text = normalise(text)
        tokens = [t for t in segmenter._jieba.cut_for_search(text) if is_token(t)]
        seen = set(tokens)
        inside = {w for t in seen if t in segmenter.words for w in _base().cut_for_search(t)}
        tokens += [w for w in inside if w not in seen and is_token(w)]
        tokens += [w for t in seen if len(t) > 3 for w in segmenter._terms_inside(t)]
        return tokens

    items = step(
        "generate the document (bench only)", lambda: [generator.document(i) for i in range(count)]
    )
    texts = [(item.title, item.body) for item in items]
    masked = step(
        "mask (privacy scan) title + body", lambda: [(mask(t), mask(b)) for t, b in texts]
    )
    plain = [normalise(t) + "\n" + normalise(b) for t, b in masked]
    step(
        "cut_for_search with the project dictionary",
        lambda: [list(segmenter._jieba.cut_for_search(x)) for x in plain],
    )
    step(
        "cut_for_search with jieba's dictionary",
        lambda: [list(_base().cut_for_search(x)) for x in plain],
    )
    now = step(
        "index_tokens(title) + index_tokens(body), as now",
        lambda: [(segmenter.index_tokens(t), segmenter.index_tokens(b)) for t, b in masked],
    )
    proposed = step(
        "proposed: one full cut + jieba's cut of the project terms found",
        lambda: [(one_cut(t), one_cut(b)) for t, b in masked],
    )
    prepared = step(
        "prepare() in all (mask + index_tokens, as now)",
        lambda: [prepare(segmenter, t, b) for t, b in texts],
    )
    step(
        "pickle the texts + unpickle the results (pool)",
        lambda: (pickle.loads(pickle.dumps(texts)), pickle.loads(pickle.dumps(prepared))),
    )
    lost: Counter[str] = Counter()
    gained = differing = total = 0
    for (title_now, body_now), (title_new, body_new) in zip(now, proposed, strict=True):
        before, after = set(title_now) | set(body_now), set(title_new) | set(body_new)
        lost.update(before - after)
        gained += len(after - before)
        total += len(before)
        differing += before != after
    missing = sum(lost.values())
    examples = "、".join(word for word, _ in lost.most_common(10))
    note = (
        f"The proposed cut loses {missing:,} of {total:,} distinct (document, token) pairs "
        f"({missing / total:.2%}; most often: {examples or '—'}) and adds {gained:,}; "
        f"{differing} of {count:,} documents index a different token set."
    )
    return steps, note


def bucket_rows(label: str, timed: Sequence[Timed]) -> list[tuple[str, list[Timed]]]:
    groups: dict[str, list[Timed]] = {}
    for low, high in ((0, 100), (101, 10_000), (10_001, 100_000), (100_001, 10**9)):
        name = f"{low:,}–{high:,} results" if high < 10**9 else f"> {low - 1:,} results"
        groups[name] = [t for t in timed if low <= t.total <= high]
    return [(f"{label}, {name}", chosen) for name, chosen in groups.items() if chosen]


def measure(args: argparse.Namespace, vendor: str, var_dir: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.orgs.models import Organisation
    from gongkai.orgs.services import org_load_reference_data
    from gongkai.search.registry import Source, register_source, unregister_source

    docs, small = args.docs, min(args.naive_docs, args.docs)
    budget = args.budget or min(600.0, max(20.0, docs / 2000))
    call_command("migrate", verbosity=0)
    org_load_reference_data()
    orgs = list(
        Organisation.objects.filter(is_active=True).order_by("code").values_list("id", "name")[:8]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    say(f"{vendor}: {server}; loading the corpus")
    laws, subjects, phrases = load_corpus()
    generator = Generator(laws, subjects, phrases, orgs)
    queries, info = build_queries(generator, docs, args.queries, SEED)
    warm_up, _ = build_queries(generator, docs, WARM_UP, SEED + 1)
    steps, tokens_note = indexing_profile(generator)
    bench = BenchSource(generator)
    register_source(
        Source(key="bench", label="基准测试", fetch=bench.fetch, count=lambda: bench.size)
    )
    lengths = info["body_lengths"]
    out(f"## {vendor} — {docs:,} documents\n")
    out(f"Command: `{os.environ.get('GK_BENCH_COMMAND', '')}`\n")
    out(
        f"{'SQLite ' if vendor == 'sqlite' else ''}{server}; Python {sys.version.split()[0]}; "
        f"{os.cpu_count()} cores; corpus {len(laws):,} texts, {len(subjects):,} title subjects, "
        f"{len(phrases):,} purpose phrases; {len(orgs)} organisations. Body length (sample of "
        f"{len(lengths):,}): min {lengths[0]}, p10 {percentile(lengths, 10)}, median "
        f"{percentile(lengths, 50)}, p90 {percentile(lengths, 90)}, max {lengths[-1]}, mean "
        f"{sum(lengths) / len(lengths):.0f} characters.\n"
    )
    word_counts = Counter(len(q.words) for q in queries)
    kinds = Counter(k for q in queries for k in q.classes)
    rarest = Counter(
        next(c for c in ("project", "rare", "medium", "common") if c in q.classes) for q in queries
    )
    out(
        f"Query set: {len(queries)} queries ({word_counts[1]} of 1 word, {word_counts[2]} of 2, "
        f"{word_counts[3]} of 3; {sum(q.together for q in queries)} multi-word ones take their "
        f"words from one document, {sum(len(q.words) > 1 and not q.together for q in queries)} "
        f"from anywhere). Vocabulary from {info['sample']:,} sampled documents: "
        f"{info['distinct']:,} distinct words of 2+ Han characters — common (in ≥ 5 % of the "
        f"sample) {info['by_class']['common']:,}, medium (0.2–5 %) {info['by_class']['medium']:,},"
        f" rare (< 0.2 %) {info['by_class']['rare']:,}. Words used: "
        + ", ".join(f"{k} {kinds[k]}" for k in ("common", "medium", "rare", "project"))
        + ". Rarest word of each query: "
        + ", ".join(f"{k} {rarest[k]}" for k in ("common", "medium", "rare", "project"))
        + f". {WARM_UP} other queries warm up before each timed pass; a pass stops after "
        f"{budget:.0f} s (the queries are in random order: a stopped pass measured a random "
        "sample).\n"
    )
    out("First queries: " + ", ".join(f"`{q.text}`" for q in queries[:8]) + ".\n")
    out("Indexing cost per document in one process (1,000 documents):\n")
    out("| step | µs/doc |")
    out("|---|---:|")
    for label, micros in steps:
        out(f"| {label} | {micros:,.0f} |")
    out()
    out(tokens_note + "\n")

    def analyse() -> str:
        if vendor != "postgresql":
            return ""  # SQLite has no automatic ANALYZE and the code runs none
        seconds = timed_sql("VACUUM ANALYZE search_entry")
        return f"VACUUM ANALYZE {seconds:.1f} s (autovacuum would)"

    # 1. The small set: 1 worker, 2 workers; the naive scan against the index.
    rows: list[tuple[str, str]] = []
    one = rebuild(bench, small, 1, f"small set, workers=1 ({small:,})")
    planted, unmasked = check_masking(generator, small)
    note = analyse()
    if note:
        rows.append((f"{small:,} docs, before their queries", note))
    small_timed: dict[str, list[Timed]] = {}
    for name, make in variants(vendor).items() if docs > small else ():
        use_variant(make)
        run_search(warm_up, budget / 4)
        small_timed[name] = run_search(queries, budget)
    say("small set: naive scan")
    run_naive(warm_up[:5])
    naive = run_naive(queries, budget)
    empty_index(vendor)
    two_small = rebuild(bench, small, 2, f"small set, workers=2 ({small:,})")
    rows.append((f"indexing {small:,} docs, workers=1", f"{one.rate:,.0f} docs/s; {one.cpu_ms()}"))
    rows.append(
        (
            f"indexing {small:,} docs, workers=2",
            f"{two_small.rate:,.0f} docs/s (speed-up {two_small.rate / one.rate:.2f}×); "
            f"{two_small.cpu_ms()}",
        )
    )
    if vendor == "postgresql":
        empty_index(vendor)
        timed_sql("SET gin_pending_list_limit = '64MB'")
        pending = rebuild(bench, small, 2, f"small set, workers=2, 64 MB GIN pending ({small:,})")
        timed_sql("RESET gin_pending_list_limit")
        rows.append(
            (
                f"indexing {small:,} docs, workers=2, gin_pending_list_limit 64MB (default 4MB)",
                f"{pending.rate:,.0f} docs/s; {pending.cpu_ms()}",
            )
        )
        empty_index(vendor)
        timed_sql("DROP INDEX search_entry_vector")
        no_gin = rebuild(bench, small, 2, f"small set, workers=2, no GIN ({small:,})")
        gin_seconds = timed_sql(CREATE_GIN)
        both = small / (no_gin.seconds + gin_seconds)
        rows.append(
            (
                f"indexing {small:,} docs, workers=2, GIN index dropped, built after",
                f"{no_gin.rate:,.0f} docs/s inserting ({no_gin.cpu_ms()}) + GIN build "
                f"{gin_seconds:.1f} s = {both:,.0f} docs/s",
            )
        )
    rows.append(
        (f"personal data planted in the first {small:,} docs", f"{planted}; unmasked: {unmasked}")
    )

    # 2. All documents, as index_rebuild does it now (the small set again when it is all).
    if docs > small:
        empty_index(vendor)
        full = rebuild(bench, docs, 2, f"full set, workers=2 ({docs:,})")
    else:
        full = two_small
    verdict = "OK" if full.rate >= TARGET_RATE else "MISSES TARGET"
    rows.append(
        (
            f"**indexing {docs:,} docs, workers=2** (target ≥ {TARGET_RATE:,.0f})",
            f"**{full.rate:,.0f} docs/s** {verdict} ({full.seconds:,.0f} s; {full.cpu_ms()})",
        )
    )
    rows.append(("size after indexing", sizes(vendor, var_dir)))
    note = analyse()
    if note:
        rows.append(("before the queries", note))

    # 3. Queries: the code as it is, then the proposals.
    passes: list[tuple[str, list[Timed]]] = []
    for name, make in variants(vendor).items():
        use_variant(make)
        run_search(warm_up, budget / 4)
        passes.append((f"{name}, first sight", run_search(queries, budget)))
        if len(passes[-1][1]) == len(queries):  # not again when the budget stopped it
            passes.append((f"{name}, repeated", run_search(queries, budget)))
        say(f"full set: {name} done")
    if vendor == "sqlite" and not args.no_optimize:
        seconds = timed_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        rows.append(("FTS5 'optimize' after the load (the code does not)", f"{seconds:.1f} s"))
        for name, make in variants(vendor).items():
            use_variant(make)
            run_search(warm_up, budget / 4)
            passes.append((f"{name}, after FTS5 optimize", run_search(queries, budget)))
    use_variant(variants(vendor)["as is"])
    if docs == small:  # the small set is the full set: its queries were the passes above
        small_timed = {
            label.split(", first sight")[0]: timed
            for label, timed in passes
            if label.endswith("first sight")
        }
    first = passes[0][1]
    p95 = percentile([t.ms for t in first], 95)
    target = TARGET_P95_MS[vendor]
    naive_ms = [t.ms for t in naive]
    naive_p95 = percentile(naive_ms, 95)
    per_thousand = naive_p95 / small * 1000
    extrapolated = per_thousand * docs / 1000
    rows.append(
        (
            f"naive icontains scan, {small:,} docs: p50 / p95",
            f"{percentile(naive_ms, 50):.1f} / {naive_p95:.1f} ms ({per_thousand:.2f} ms per "
            "1,000 docs)",
        )
    )
    for name, timed in small_timed.items():
        small_p95 = percentile([t.ms for t in timed], 95)
        rows.append(
            (
                f"indexed search ({name}), the same {small:,} docs: p95",
                f"{small_p95:.1f} ms — naive p95 / indexed p95 on the same set: "
                f"{naive_p95 / small_p95:.1f}×",
            )
        )
    for label, timed in passes if docs > small else ():
        if "first sight" in label and timed:
            measured = percentile([t.ms for t in timed], 95)
            rows.append(
                (
                    f"naive p95 extrapolated to {docs:,} docs / indexed p95 ({label})",
                    f"{extrapolated:,.0f} ms / {measured:.1f} ms = {extrapolated / measured:,.0f}×",
                )
            )
    done = f"{len(first)} of {len(queries)} queries" if len(first) < len(queries) else ""
    rows.append(
        (
            f"**search p95 at {docs:,} docs, as is, first sight** (target ≤ {target:.0f} ms)",
            f"**{p95:.1f} ms** {'OK' if p95 <= target else 'MISSES TARGET'} {done}".rstrip(),
        )
    )
    out("| measurement | result |")
    out("|---|---|")
    for label, value in rows:
        out(f"| {label} | {value} |")
    out()
    out(
        "Query latency: `search()` as the page, API and CLI call it (count, ranked page, "
        "per-source counts, entries, snippets):\n"
    )
    latency_table(
        [
            *[
                row
                for label, timed in passes
                for row in (
                    by_words(f"{docs:,} docs, {label}", timed)
                    + bucket_rows(f"{docs:,} docs, {label}", timed)
                    if "first sight" in label
                    else [(f"{docs:,} docs, {label}", timed)]
                )
            ],
            *[
                row
                for name, t in small_timed.items()
                for row in by_words(f"{small:,} docs, {name}", t)
            ],
            *by_words(f"{small:,} docs, naive icontains", naive),
        ]
    )
    for label, timed in passes:
        if "first sight" in label:
            fallback = sum(not t.match_all for t in timed)
            out(
                f"Result counts at {docs:,} docs ({label}, {len(timed)} queries): "
                f"{count_distribution(timed)}; {fallback} multi-word queries found no entry with "
                "every word and fell back to any word (a second search).\n"
            )
    out(
        "The ratios: the naive scan reads every row, so its time grows linearly with the number "
        f"of documents. Its p95 per 1,000 documents, measured on {small:,}, times {docs:,}/1,000 "
        f"estimates the naive p95 over all {docs:,} documents (not run); the ratio divides that "
        "by the indexed p95 measured there. The same-set ratio compares both measured on the "
        "small set.\n"
    )
    for label, timed in passes:
        if "first sight" in label:
            use_variant(variants(vendor)[label.split(", first sight")[0]])
            out(f"### Slowest queries, {label}\n")
            profile(timed, vendor)
    use_variant(variants(vendor)["as is"])

    # 4. PostgreSQL: the GIN index built after the rows.
    if vendor == "postgresql":
        timed_sql("DROP INDEX search_entry_vector")
        gin_seconds = timed_sql(CREATE_GIN)
        out(
            f"GIN index `search_entry_vector` dropped and built again over the {docs:,} rows: "
            f"{gin_seconds:.1f} s (maintenance_work_mem as configured)."
        )
        if args.gin_split:
            empty_index(vendor)
            timed_sql("DROP INDEX search_entry_vector")
            no_gin = rebuild(bench, docs, 2, f"full set, no GIN ({docs:,})")
            gin_seconds = timed_sql(CREATE_GIN)
            both = docs / (no_gin.seconds + gin_seconds)
            out(
                f"The whole load again without the GIN index: {no_gin.rate:,.0f} docs/s "
                f"({no_gin.cpu_ms()}), then the index built in {gin_seconds:.1f} s: "
                f"{both:,.0f} docs/s overall (with the index during the load: "
                f"{full.rate:,.0f} docs/s)."
            )
        out()
    unregister_source("bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive-docs", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds a pass of queries may take at most (default: docs/2000, 20–600)",
    )
    parser.add_argument("--no-optimize", action="store_true", help="skip the FTS5 optimize run")
    parser.add_argument(
        "--gin-split", action="store_true", help="PostgreSQL: load everything again without GIN"
    )
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"The corpus is missing: {CORPUS} (see ../shared/corpus/README.md).")
    os.environ.setdefault(
        "GK_BENCH_COMMAND", " ".join([".venv/bin/python bench/search_scale.py", *sys.argv[1:]])
    )
    if args.backend != "both":
        run_backend(args)
        return
    failed = []
    for vendor in ("sqlite", "postgresql"):
        command = [sys.executable, __file__, *sys.argv[1:], "--backend", vendor]
        if subprocess.run(command, check=False).returncode:
            failed.append(vendor)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
