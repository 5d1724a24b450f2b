"""Search at scale: query latency over 1,000,000 documents and indexing speed, on both backends.

Targets (issue 4): p95 of queries of 1–3 words over 1,000,000 documents ≤ 50 ms on SQLite and
≤ 100 ms on PostgreSQL; indexing ≥ 2,000 documents/s using both cores.

    .venv/bin/python bench/search_scale.py                      # 1,000,000 documents, both backends
    .venv/bin/python bench/search_scale.py --docs 50000         # what ``make bench`` runs

**Documents** are generated deterministically (document *i* from its own seeded generator) from
the shared corpus ``../shared/corpus/laws-zh.jsonl.gz`` (read in place; the script stops when it
is absent): titles shaped like government document titles (关于…的通知, 关于印发《…》的通知), bodies
of consecutive corpus paragraphs (200–3,000 characters, median about 750), dates over 2000–2026,
eight organisations; 1 % carry a contact name and mobile number and 0.3 % an ID card number, so
that masking has work to do.

**Queries**: ``--queries`` of 1–3 words drawn from the words of 3,000 sampled documents (common,
medium and rare words mixed, most multi-word queries from one document) plus project terms
(营商环境, 12345热线…), run through ``search()`` — the code behind the search page, the API and
the command: segmentation, the backend's statements, snippets.

**Per backend**, in its own process (a fresh SQLite file in a temporary directory, or the
PostgreSQL database ``gk_bench_search``, created and dropped):

1. the first ``--naive-docs`` documents are indexed, and the queries run through ``search()``
   and through a naive scan (``icontains`` on title or body for every word, the newest 10 and
   the count): the ratio;
2. all ``--docs`` documents are indexed by ``index_rebuild`` (one worker per core): documents/s,
   and the planted personal data left unmasked (must be none); on PostgreSQL the table is
   vacuumed after each load, as autovacuum does soon after so many inserts (its first readers
   would otherwise set every row's hint bits);
3. warm-up queries, then the query set by relevance and by date: p50, p95 and max, overall and
   by number of words.

It prints a Markdown section for ``docs/benchmarks.md``.
"""

import argparse
import gzip
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scratch import scratch_site

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "laws-zh.jsonl.gz"
PG_DATABASE = "gk_bench_search"
SEED = 20261126
ZONE = ZoneInfo("Asia/Shanghai")
TARGET_RATE = 2000.0
TARGET_P95_MS = {"sqlite": 50.0, "postgresql": 100.0}
WARM_UP = 30
SAMPLE_DOCS = 3000  # documents whose words make the query vocabulary


def say(text: str) -> None:
    """Progress, on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


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


def word_class(share: float) -> str:
    """By the share of the sampled documents that contain the word."""
    if share >= 0.05:
        return "common"
    return "medium" if share >= 0.002 else "rare"


def build_queries(generator: Generator, docs: int, count: int, seed: int) -> list[str]:
    """``count`` queries of 1–3 words from the words of a sample of the generated documents."""
    from gongkai.search import dictionary
    from gongkai.search.text import normalise

    _, segmenter = dictionary.current()
    rng = random.Random(seed)
    doc_words: list[list[str]] = []
    frequency: Counter[str] = Counter()
    for i in rng.sample(range(docs), min(docs, SAMPLE_DOCS)):
        item = generator.document(i)
        words = segmenter.query_words(item.title) + segmenter.query_words(item.body)
        doc_words.append(sorted({w for w in words if _HAN.match(w)}))
        frequency.update(doc_words[-1])
    classes = {w: word_class(n / len(doc_words)) for w, n in frequency.items()}
    by_class = {c: sorted(w for w, k in classes.items() if k == c) for c in CLASSES}
    terms_file = ROOT / "gongkai" / "search" / "data" / "dictionary.txt"
    project = [
        normalise(line.strip())
        for line in terms_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    queries: list[str] = []
    while len(queries) < count:
        size = rng.choices((1, 2, 3), weights=(40, 35, 25))[0]
        pool = rng.choice(doc_words) if size == 1 or rng.random() < 0.8 else None
        words: list[str] = []
        for slot in range(size):
            if slot == 0 and rng.random() < 0.1:
                words.append(rng.choice(project))
                continue
            wanted = rng.choice(CLASSES)
            if pool is not None:
                choices = [w for w in pool if classes[w] == wanted] or pool
            else:
                choices = by_class[wanted] or list(classes)
            words.append(rng.choice(choices))
        text = " ".join(words)
        if len(set(words)) == size and segmenter.query_words(text) == words:
            queries.append(text)  # else the query would not be cut into exactly these words
    return queries


# ---- Measuring --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Timed:
    words: int
    ms: float
    total: int
    more: bool = False


def run_search(queries: Sequence[str], order: str = "relevance") -> list[Timed]:
    from gongkai.search.backends import Order
    from gongkai.search.selectors import Query, search

    timed = []
    for text in queries:
        start = time.perf_counter()
        found = search(Query(q=text, order=Order(order)))
        ms = (time.perf_counter() - start) * 1000
        timed.append(Timed(len(found.terms), ms, found.total, found.more))
    return timed


def run_naive(queries: Sequence[str]) -> list[Timed]:
    """Every word in the title or the body (``icontains``): the newest 10 and the count."""
    from django.db.models import Q

    from gongkai.search.models import Entry

    timed = []
    for text in queries:
        start = time.perf_counter()
        found = Entry.objects.filter(source="bench")
        for word in text.split():
            found = found.filter(Q(title__icontains=word) | Q(body__icontains=word))
        list(found.order_by("-published_at")[:10])
        total = found.count()
        timed.append(Timed(len(text.split()), (time.perf_counter() - start) * 1000, total))
    return timed


def latency(label: str, timed: Sequence[Timed]) -> str:
    ms = [t.ms for t in timed]
    return (
        f"| {label} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} | "
        f"{max(ms):.1f} |"
    )


@dataclass
class Rebuild:
    rate: float  # documents per second
    indexer_ms: float  # CPU per document of this process and its workers
    server_ms: float  # CPU per document of the PostgreSQL server (0 on SQLite)


def rebuild(source: "BenchSource", size: int) -> Rebuild:
    """``index_rebuild`` of the first ``size`` documents, with the CPU it took."""
    from django.db import connection

    from gongkai.search.services import index_rebuild

    source.size = size
    before, server_before = os.times(), server_cpu()
    start = time.perf_counter()
    written = index_rebuild(actor=None, only=["bench"])
    seconds = time.perf_counter() - start
    after, server_after = os.times(), server_cpu()
    assert written == size, (written, size)
    say(f"indexed {size:,} documents in {seconds:.0f} s")
    if connection.vendor == "postgresql":  # as autovacuum soon would after so many inserts
        with connection.cursor() as cursor:
            cursor.execute("VACUUM search_entry")
    indexer = sum(after[:4]) - sum(before[:4])  # user + system, self + children
    server = server_after - server_before
    return Rebuild(size / seconds, indexer / size * 1000, server / size * 1000)


def server_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (from /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if name.endswith("(postgres"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def unmasked(generator: Generator, size: int) -> tuple[int, int]:
    """Documents with planted personal data among the first ``size``, and how many of them
    still show it in the index."""
    from gongkai.search.models import Entry

    planted = {str(i): [v for v in generator.plants(i) if v] for i in range(size)}
    planted = {key: values for key, values in planted.items() if values}
    bodies = dict(Entry.objects.filter(source="bench", key__in=planted).values_list("key", "body"))
    left = sum(any(v in bodies[key] for v in values) for key, values in planted.items())
    return len(planted), left


def measure(args: argparse.Namespace, vendor: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.orgs.models import Organisation
    from gongkai.orgs.services import org_load_reference_data
    from gongkai.search.backends import COUNT_LIMIT
    from gongkai.search.registry import Source, register_source

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    orgs = list(
        Organisation.objects.filter(is_active=True).order_by("code").values_list("id", "name")[:8]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    generator = Generator(*load_corpus(), orgs)
    queries = build_queries(generator, args.docs, args.queries, SEED)
    warm_up = build_queries(generator, args.docs, WARM_UP, SEED + 1)
    bench = BenchSource(generator)
    register_source(
        Source(key="bench", label="基准测试", fetch=bench.fetch, count=lambda: bench.size)
    )
    small = min(args.naive_docs, args.docs)
    rebuild(bench, small)
    run_search(warm_up)
    indexed_small = run_search(queries)
    naive = run_naive(queries)
    load = rebuild(bench, args.docs)
    planted, left = unmasked(generator, args.docs)
    run_search(warm_up)
    by_relevance = run_search(queries)
    by_date = run_search(queries, "date")

    p95 = percentile([t.ms for t in by_relevance], 95)
    ratio = percentile([t.ms for t in naive], 95) / percentile([t.ms for t in indexed_small], 95)
    engine = f"SQLite {server}" if vendor == "sqlite" else server
    print(f"### {vendor} ({engine}), {args.docs:,} documents\n")
    print(f"Command: `{' '.join(['.venv/bin/python bench/search_scale.py', *sys.argv[1:]])}`\n")
    print(
        f"- indexing: **{load.rate:,.0f} documents/s** with {os.cpu_count()} cores (target "
        f"≥ {TARGET_RATE:,.0f}); CPU per document: indexer {load.indexer_ms:.2f} ms"
        + (f", PostgreSQL server {load.server_ms:.2f} ms" if vendor == "postgresql" else "")
        + f"; planted personal data in {planted:,} documents, left unmasked in {left}"
    )
    print(
        f"- queries by relevance: **p95 {p95:.1f} ms** (target ≤ {TARGET_P95_MS[vendor]:.0f} ms)"
        f"; at {small:,} documents the naive scan's p95 is {ratio:,.0f}× the index's"
    )
    few = sum(t.total <= 100 for t in by_relevance)
    full = sum(t.more for t in by_relevance)
    print(
        f"- results per query: {few} queries found up to 100 entries, "
        f"{len(by_relevance) - few - full} up to {COUNT_LIMIT:,}, {full} more than "
        f"{COUNT_LIMIT:,} (answered from their window, see docs/decisions/0006-search.md)\n"
    )
    print("| queries | n | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    print(latency(f"{small:,} docs, naive scan", naive))
    print(latency(f"{small:,} docs, search()", indexed_small))
    print(latency(f"{args.docs:,} docs, search() by relevance", by_relevance))
    for words in (1, 2, 3):
        chosen = [t for t in by_relevance if t.words == words]
        if chosen:
            print(latency(f"… {words} word{'s' if words > 1 else ''}", chosen))
    print(latency(f"{args.docs:,} docs, search() by date", by_date))
    print()


def run_backend(args: argparse.Namespace) -> None:
    with scratch_site("search", postgres=PG_DATABASE if args.backend == "postgresql" else None):
        measure(args, args.backend)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive-docs", type=int, default=20_000)
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"The corpus is missing: {CORPUS} (see ../shared/corpus/README.md).")
    if args.backend != "both":
        run_backend(args)
        return
    for vendor in ("sqlite", "postgresql"):
        command = [sys.executable, __file__, *sys.argv[1:], "--backend", vendor]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
