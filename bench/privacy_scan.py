"""Speed of ``gongkai.core.privacy.scan`` on realistic Chinese government text.

Builds about MEGABYTES of text (UTF-8) from paragraphs of the shared corpus
(``../shared/corpus/laws-zh.jsonl.gz``; a built-in vocabulary when it is absent), plants one
personal identifier (ID card, mobile, landline, bank card, e-mail, plate, name or address) in
every PLANT_EVERY-th paragraph together with look-alikes that must not be found (credit codes,
document and index numbers, dates, amounts, work-order numbers), and measures ``scan`` against a
plain ``str.count`` over the same text. Corpus paragraphs in which ``scan`` already finds
something (a real name such as 孙中山先生) are left out, so every finding should be a planted one.
Target: at least 5 MB/s.

    .venv/bin/python bench/privacy_scan.py
    MEGABYTES=20 PLANT_EVERY=5 .venv/bin/python bench/privacy_scan.py
"""

import gzip
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.core.privacy import Kind, scan  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "laws-zh.jsonl.gz"
MEGABYTES = float(os.environ.get("MEGABYTES", "10"))
PLANT_EVERY = int(os.environ.get("PLANT_EVERY", "4"))
TARGET = 5.0  # MB/s

VOCABULARY = (
    "为进一步做好政府信息公开工作，现就有关事项通知如下。",
    "各区人民政府，市政府各委、办、局：",
    "县级以上人民政府应当加强对本行政区域内相关工作的领导。",
    "本条例自2026年1月1日起施行，2018年12月31日发布的办法同时废止。",
    "市财政安排专项资金3.5亿元，其中1,234,567.89元用于基层医疗机构建设。",
    "行政机关应当自收到申请之日起20个工作日内予以答复。",
    "对违反本规定的，由有关部门责令改正，处以2000元以上2万元以下的罚款。",
    "建筑高度超过100米或者地上30层的公共建筑，应当设置避难层。",
)
PROVINCES = (11, 31, 32, 33, 37, 41, 44, 50, 51, 61)
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "欧阳", "司马", "诸葛", "上官")
GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽娟", "强", "磊", "军", "洋", "建华", "晓明")
LOOK_ALIKES = (
    "统一社会信用代码91350200776049653A，",
    "京政发〔2018〕12号，",
    "国办发〔2019〕19号，",
    "索引号11000002K/2026-00012，",
    "索引号000014348/2018-00123，",
    "工单号GD2026112600123，",
    "受理编号2026112600123，",
    "日期20181231，",
    "截至2026-11-26，",
    "金额13800138000.50元，",
    "依据GB/T 37964-2019，",
    "请拨打12345热线，",
)


def paragraphs() -> tuple[list[str], int]:
    """Corpus paragraphs without findings of their own, and how many were left out."""
    if not CORPUS.exists():
        return list(VOCABULARY), 0
    kept, dropped = [], 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            for paragraph in json.loads(line)["text"].splitlines():
                if len(paragraph) < 8:
                    continue
                if scan(paragraph):
                    dropped += 1
                else:
                    kept.append(paragraph)
    return kept, dropped


def id_card(rng: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(25000))
    region = f"{rng.choice(PROVINCES)}{rng.randrange(10000):04d}"
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def bank_card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(16))
    total = sum(
        (2 * int(d) - 9 if 2 * int(d) > 9 else 2 * int(d)) if i % 2 == 0 else int(d)
        for i, d in enumerate(reversed(body))
    )
    return body + str(-total % 10)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


PLANTS: dict[Kind, Callable[[random.Random], str]] = {
    Kind.ID_CARD: lambda rng: f"身份证号码{id_card(rng)}，",
    Kind.MOBILE: lambda rng: f"联系电话：1{rng.choice('3589')}{rng.randrange(10**9):09d}。",
    Kind.LANDLINE: lambda rng: (
        f"办公电话0{rng.choice(['10', '755'])}-6{rng.randrange(10**6):06d}，"
    ),
    Kind.BANK_CARD: lambda rng: f"退款账户{bank_card(rng)}，",
    Kind.EMAIL: lambda rng: f"电子邮箱user{rng.randrange(10**4)}@example.gov.cn，",
    Kind.PLATE: lambda rng: f"车辆京A{rng.randrange(10**5):05d}违章，",
    Kind.NAME: lambda rng: f"申请人：{name(rng)}，",
    Kind.ADDRESS: lambda rng: (
        f"住址：北京市朝阳区建国路{rng.randrange(1, 200)}号{rng.randrange(1, 30)}号楼"
        f"{rng.randrange(1, 6)}单元{rng.randrange(101, 2801)}室。"
    ),
}


def build_text(pool: list[str]) -> tuple[str, Counter[Kind]]:
    rng = random.Random(20261126)
    planted: Counter[Kind] = Counter()
    parts, size, n = [], 0, 0
    while size < MEGABYTES * 1e6:
        paragraph = rng.choice(pool)
        if n % PLANT_EVERY == 0:
            kind = rng.choice(list(PLANTS))
            planted[kind] += 1
            cut = rng.randrange(len(paragraph) + 1)
            paragraph = (
                paragraph[:cut] + rng.choice(LOOK_ALIKES) + PLANTS[kind](rng) + paragraph[cut:]
            )
        parts.append(paragraph)
        size += len(paragraph.encode()) + 1
        n += 1
    return "\n".join(parts), planted


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    pool, dropped = paragraphs()
    text, planted = build_text(pool)
    megabytes = len(text.encode()) / 1e6
    source = CORPUS.name if CORPUS.exists() else "built-in vocabulary (corpus absent)"
    print(f"text: {megabytes:.1f} MB from {source}, {len(text):,} characters")
    print(f"python {sys.version.split()[0]}")
    print(f"corpus paragraphs left out (findings of their own): {dropped}\n")

    scan_seconds = best_of(3, lambda: scan(text))
    count_seconds = best_of(5, lambda: text.count("号"))
    found = Counter(finding.kind for finding in scan(text))

    print("| measurement | seconds | MB/s |")
    print("|---|---:|---:|")
    print(f"| `scan` | {scan_seconds:.3f} | {megabytes / scan_seconds:.1f} |")
    print(f"| baseline `str.count` | {count_seconds:.4f} | {megabytes / count_seconds:.0f} |")
    print(f"| ratio (scan / count time) | {scan_seconds / count_seconds:.0f}× | |")
    print()
    print("| kind | planted | found |")
    print("|---|---:|---:|")
    for kind in PLANTS:
        print(f"| {kind} | {planted[kind]} | {found[kind]} |")
    total_planted, total_found = sum(planted.values()), sum(found.values())
    print(f"| **all** | **{total_planted}** | **{total_found}** |")
    print()
    speed = megabytes / scan_seconds
    ok = found == planted and speed >= TARGET
    print(
        f"{'OK' if ok else 'FAIL'}: {speed:.1f} MB/s (target ≥ {TARGET:g}), "
        f"findings {'equal' if found == planted else 'differ from'} the planted identifiers"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
