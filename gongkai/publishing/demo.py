"""Demo government information for ``gongkai demo`` (loader order 95, after the demo accounts).

What it publishes:

- the seed text (``../shared/seed/000_5ed541572c8b026e.txt`` beside the repository), the
  《北京市2018年政务公开工作要点》, as a 通知 of 市政府办公厅 (its 发文字号 is not in the copy
  and is left empty; the copy's source line and its website's 声明 are dropped);
- a few hundred generated documents across the city's departments, districts and streets, the
  genres, topics and the years 2016–2026, planned with a fixed random seed from the material
  in ``data/demo.yaml``: 规范性文件 with their interpretations (负责人解读 among them), older
  ones 失效, some 废止 or 已修改 with a link to the document that replaced them, a few
  revised (version 2), one withdrawn, a handful 依申请公开 or 不予公开, and two years of the
  政府公报 (24 issues each) listing city documents.

Bodies are built from sentences of Beijing and national texts in
``../shared/corpus/laws-zh.jsonl.gz`` when the corpus is there (it is read, never copied into
the project), else from the template paragraphs of ``data/demo.yaml``.

Everything goes through the services, so it is audited: documents arrive through
``document_import_published`` (as the system, 起草人 the organisation's demo 经办人 or the
openness office's ``gkb``), revisions, withdrawal and validity through the review services as
``gkb`` and the 经办人. A document whose 索引号 exists is left alone and each later step checks
whether it was done, so running the demo again changes nothing.
"""

import gzip
import html
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.orgs.models import Kind, Level, Organisation, OrganisationName

from . import services
from .identifiers import format_index_no
from .models import (
    Disclosure,
    Document,
    GazetteIssue,
    Genre,
    InterpretationForm,
    LegalBasis,
    Status,
    Topic,
    Validity,
)
from .reference import DATA_DIR
from .services import GazettePlacement, InterpretationLink

REPOSITORY = Path(__file__).resolve().parents[2]
SHARED = REPOSITORY.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_5ed541572c8b026e.txt"
CORPUS = SHARED / "corpus" / "laws-zh.jsonl.gz"

RANDOM_SEED = 20180511
YEARS = range(2016, 2027)
YEAR_WEIGHTS = (6, 7, 8, 9, 10, 10, 11, 12, 12, 12, 10)
LAST_DAY = date(2026, 11, 20)  # the newest demo publication
GENERAL_COUNT = 150
GAZETTE_YEARS = (2024, 2025)
ISSUES_PER_YEAR = 24
DOCUMENTS_PER_ISSUE = 2
INTERPRETED_SHARE = 0.8  # of the 规范性文件
NORMATIVE_TERM_YEARS = 5  # their closing says 有效期五年: older ones are 失效
OFFICE = "gkb"  # the city openness office's demo account
REVISED_ORGS = ("110000-FGW", "110000-JW", "110101", "110112", "110101001")
PAIRS = (  # (issuer, subject, what happened to the older document)
    ("110000-FGW", "节能减排", Validity.REPEALED),
    ("110000-MZJ", "社会组织登记", Validity.REPEALED),
    ("110000-RSJ", "就业创业", Validity.REPEALED),
    ("110000-ZJW", "保障性住房", Validity.REPEALED),
    ("110000-JTW", "道路停车", Validity.AMENDED),
    ("110000-CZJ", "政府采购", Validity.AMENDED),
)
WITHDRAWN = ("110000-JTW", "城市公共交通", "通告", 2019)
WITHDRAWN_REASON = "该通告所涉交通组织措施已调整，原通告内容不再适用，特此撤回。"

GENERAL_GENRES = {
    "通知": 28,
    "意见": 8,
    "规范性文件": 10,
    "决定": 2,
    "公告": 5,
    "通告": 4,
    "通报": 5,
    "函": 2,
    "批复": 2,
    "计划总结": 10,
    "统计信息": 8,
    "公告公示": 10,
    "规划": 3,
}
GAZETTE_GENRES = {"通知": 40, "意见": 20, "规范性文件": 25, "决定": 5, "公告": 10}
STREET_GENRES = frozenset({"通知", "计划总结", "公告公示", "通报"})
UNNUMBERED = frozenset({"计划总结", "统计信息", "公告公示", "解读", "纪要"})
PLAN_PERIODS = {2016: "十三五", 2017: "十三五", 2021: "十四五", 2022: "十四五", 2026: "十五五"}
FORMS = {
    InterpretationForm.TEXT: 35,
    InterpretationForm.GRAPHIC: 20,
    InterpretationForm.LEADER: 25,
    InterpretationForm.EXPERT: 10,
    InterpretationForm.MEDIA: 10,
}
CITY_GOVERNMENT = ("110000", "110000-BGT")
SEED_TITLE = "北京市2018年政务公开工作要点"
SEED_WRITTEN_ON = date(2018, 5, 11)
_NUMERALS = "一二三四五六七八九十"


@cache
def demo_material() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA_DIR / "demo.yaml").read_text(encoding="utf-8"))
    return data


# ---- The plan -----------------------------------------------------------------------------


@dataclass
class Planned:
    """One demo document, before it is imported."""

    organisation: Organisation
    title: str
    genre: str
    topic: str
    written_on: date
    published_at: datetime
    summary: str
    subject: str = ""
    keywords: tuple[str, ...] = ()  # pick matching corpus texts for the body
    index_no: str = ""
    doc_no: str = ""
    numbered: bool = True  # gets a 发文字号 when its issuer and genre have them
    body: str = ""  # fixed text (the seed); otherwise built when imported
    template_body: bool = False  # built from data/demo.yaml only, never from the corpus
    disclosure: str = Disclosure.PROACTIVE
    basis: str = ""
    reason: str = ""
    validity: str = Validity.CURRENT
    policy: "Planned | None" = None  # set on an interpretation
    form: str = ""
    leader: str = ""
    gazette: GazettePlacement | None = None
    revision_note: str = ""
    withdraw: bool = False
    replaced: list[tuple["Planned", str]] = field(default_factory=list)  # (older, its validity)

    @property
    def normative(self) -> bool:
        return self.genre == "规范性文件"


class _Planner:
    """Plans every demo document from ``data/demo.yaml`` with one random generator."""

    def __init__(self, organisations: dict[str, Organisation]):
        self.data = demo_material()
        self.rng = random.Random(RANDOM_SEED)
        self.orgs = organisations
        self.issuers = {row["code"]: row for row in self.data["issuers"]}
        self.subjects = {row["name"]: row for row in self.data["subjects"]}
        self.plan: list[Planned] = []

    # Building blocks.

    def day_in(self, year: int) -> date:
        first, last = date(year, 1, 1), min(date(year, 12, 31), LAST_DAY - timedelta(days=15))
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def moment(self, day: date) -> datetime:
        at = time(self.rng.randint(9, 17), self.rng.choice((0, 15, 30, 45)))
        return timezone.make_aware(datetime.combine(day, at))

    def exists_on(self, code: str, day: date) -> bool:
        org = self.orgs.get(code)
        return (
            org is not None
            and (org.established_on is None or org.established_on <= day)
            and (org.dissolved_on is None or day < org.dissolved_on)
        )

    def title(self, genre: str, subject: str, org: Organisation, year: int) -> str:
        pattern = self.rng.choice(self.data["titles"][genre])
        plan = PLAN_PERIODS.get(year, "")
        return fill(pattern, place=place_name(org), subject=subject, year=year, plan=plan)

    def summary(self, genre: str, subject: str, year: int, policy: str = "") -> str:
        return fill(self.data["summaries"][genre], subject=subject, year=year, policy=policy)

    def document(
        self, *, code: str, subject: str, genre: str, written_on: date, published: date
    ) -> Planned:
        org = self.orgs[code]
        spec = self.subjects[subject]
        return Planned(
            organisation=org,
            title=self.title(genre, subject, org, written_on.year),
            genre=genre,
            topic=spec["topic"],
            written_on=written_on,
            published_at=self.moment(published),
            summary=self.summary(genre, subject, written_on.year),
            subject=subject,
            keywords=tuple(spec["keywords"]),
        )

    def published_after(self, written_on: date) -> date:
        return min(written_on + timedelta(days=self.rng.randint(1, 12)), LAST_DAY)

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # The groups of documents.

    def general(self, count: int) -> None:
        while count:
            year = self.rng.choices(list(YEARS), weights=YEAR_WEIGHTS)[0]
            written_on = self.day_in(year)
            subject = self.rng.choice(list(self.subjects))
            codes = [c for c in self.subjects[subject]["issuers"] if self.exists_on(c, written_on)]
            genre = self.weighted(GENERAL_GENRES)
            if not codes or (genre == "规划" and year not in PLAN_PERIODS):
                continue
            code = self.rng.choice(codes)
            if self.orgs[code].level == Level.STREET and genre not in STREET_GENRES:
                continue
            planned = self.document(
                code=code,
                subject=subject,
                genre=genre,
                written_on=written_on,
                published=self.published_after(written_on),
            )
            if planned.normative and written_on.year + NORMATIVE_TERM_YEARS < LAST_DAY.year:
                planned.validity = Validity.EXPIRED
            self.plan.append(planned)
            count -= 1

    def gazette(self) -> None:
        city_subjects = [
            name
            for name, spec in self.subjects.items()
            if any(self.orgs[code].level == Level.CITY for code in spec["issuers"])
        ]
        for year in GAZETTE_YEARS:
            previous = date(year - 1, 12, 25)
            for number in range(1, ISSUES_PER_YEAR + 1):
                issued = date(year, (number + 1) // 2, 10 if number % 2 else 25)
                placed: list[Planned] = []
                while len(placed) < DOCUMENTS_PER_ISSUE:
                    subject = self.rng.choice(city_subjects)
                    published = previous + timedelta(
                        days=self.rng.randint(1, (issued - previous).days - 1)
                    )
                    written_on = published - timedelta(days=self.rng.randint(1, 20))
                    codes = [
                        code
                        for code in self.subjects[subject]["issuers"]
                        if self.orgs[code].level == Level.CITY and self.exists_on(code, written_on)
                    ]
                    if self.rng.random() < 0.4 or not codes:
                        codes = list(CITY_GOVERNMENT)
                    placed.append(
                        self.document(
                            code=self.rng.choice(codes),
                            subject=subject,
                            genre=self.weighted(GAZETTE_GENRES),
                            written_on=written_on,
                            published=published,
                        )
                    )
                placed.sort(key=lambda planned: planned.published_at)
                for position, planned in enumerate(placed, start=1):
                    planned.gazette = GazettePlacement(year, number, issued, position)
                self.plan += placed
                previous = issued

    def pairs(self) -> None:
        for code, subject, outcome in PAIRS:
            old_written = self.day_in(self.rng.choice((2016, 2017, 2018)))
            old = self.document(
                code=code,
                subject=subject,
                genre="规范性文件",
                written_on=old_written,
                published=self.published_after(old_written),
            )
            old.title = f"{place_name(old.organisation)}{subject}管理办法"
            new_written = self.day_in(self.rng.choice((2021, 2022, 2023, 2024)))
            genre = "规范性文件" if outcome == Validity.REPEALED else "决定"
            new = self.document(
                code=code,
                subject=subject,
                genre=genre,
                written_on=new_written,
                published=self.published_after(new_written),
            )
            if outcome == Validity.REPEALED:
                new.title = old.title
                new.summary += f"原《{old.title}》同时废止。"
            else:
                new.title = f"关于修改《{old.title}》的决定"
                new.summary = f"对《{old.title}》的部分条款作出修改。"
            new.replaced.append((old, outcome))
            self.plan += [old, new]

    def not_proactive(self) -> None:
        cases = [(row, Disclosure.WITHHELD) for row in self.data["withheld"]]
        cases += [(row, Disclosure.ON_REQUEST) for row in self.data["on_request"]]
        for row, disclosure in cases:
            written_on = self.day_in(self.rng.choice(YEARS))
            subject = self.rng.choice(list(self.subjects))
            codes = [
                code
                for code in self.subjects[subject]["issuers"]
                if self.exists_on(code, written_on) and self.orgs[code].level != Level.STREET
            ] or list(CITY_GOVERNMENT)
            planned = self.document(
                code=self.rng.choice(codes),
                subject=subject,
                genre=row["genre"],
                written_on=written_on,
                published=self.published_after(written_on),
            )
            if planned.genre == "通知":  # an internal arrangement
                planned.title = f"关于做好{written_on.year}年{subject}工作内部分工的通知"
            planned.disclosure, planned.basis, planned.reason = (
                disclosure,
                row["basis"],
                row["reason"],
            )
            self.plan.append(planned)

    def revised(self) -> None:
        for code in REVISED_ORGS:
            subjects = [name for name, s in self.subjects.items() if code in s["issuers"]]
            written_on = self.day_in(self.rng.choice((2024, 2025, 2026)))
            planned = self.document(
                code=code,
                subject=self.rng.choice(subjects),
                genre="通知",
                written_on=written_on,
                published=self.published_after(written_on),
            )
            planned.template_body = True
            planned.revision_note = self.rng.choice(self.data["revision_notes"])
            self.plan.append(planned)

    def withdrawn(self) -> None:
        code, subject, genre, year = WITHDRAWN
        written_on = self.day_in(year)
        planned = self.document(
            code=code,
            subject=subject,
            genre=genre,
            written_on=written_on,
            published=self.published_after(written_on),
        )
        planned.withdraw = True
        self.plan.append(planned)

    def interpretations(self) -> None:
        for policy in [p for p in self.plan if p.normative]:
            if self.rng.random() >= INTERPRETED_SHARE:
                continue
            form = self.weighted({str(form): weight for form, weight in FORMS.items()})
            title = fill(self.data["interpretation_titles"][form], policy=policy.title)
            self.plan.append(
                Planned(
                    organisation=policy.organisation,
                    title=title,
                    genre="解读",
                    topic=policy.topic,
                    written_on=policy.written_on,
                    published_at=policy.published_at + timedelta(minutes=5),
                    summary=self.summary("解读", policy.subject, 0, policy=policy.title),
                    subject=policy.subject,
                    keywords=policy.keywords,
                    policy=policy,
                    form=form,
                    leader=(
                        self.rng.choice(self.data["leaders"])
                        if form == InterpretationForm.LEADER
                        else ""
                    ),
                )
            )

    def numbers(self) -> None:
        """索引号 in order of publication per organisation and year; 发文字号 with gaps (not
        every document of an organisation is in the demo)."""
        self.plan.sort(key=lambda p: (p.published_at, p.policy is not None, p.title))
        sequences: Counter[tuple[str, int]] = Counter()
        doc_numbers: Counter[tuple[str, int]] = Counter()
        for planned in self.plan:
            org, year = planned.organisation, planned.written_on.year
            sequences[(org.code, year)] += 1
            planned.index_no = format_index_no(
                org_code=org.code, year=year, seq=sequences[(org.code, year)]
            )
            issuer = self.issuers.get(org.code, {})
            prefix = issuer.get("doc_prefix", "")
            if planned.normative:
                prefix = issuer.get("normative_prefix", prefix)
            if prefix and planned.numbered and planned.genre not in UNNUMBERED:
                doc_numbers[(prefix, year)] += self.rng.randint(1, 6)
                planned.doc_no = f"{prefix}〔{year}〕{doc_numbers[(prefix, year)]}号"


def place_name(org: Organisation) -> str:
    """How titles and bodies name the issuer's area: 北京市, the district, the street."""
    if org.level == Level.CITY:
        return "北京市"
    if org.level == Level.STREET:
        return org.short_name
    government = org if org.parent is None or org.kind == Kind.GOVERNMENT else org.parent
    return government.short_name.removesuffix("政府")


def audience_key(org: Organisation) -> str:
    """Which line of ``audiences`` a body of ``org`` is addressed to."""
    if org.level == Level.STREET:
        return "street"
    governing = org.code in CITY_GOVERNMENT or org.kind in (Kind.GOVERNMENT, Kind.OFFICE)
    if org.level == Level.CITY:
        return "city" if governing else "department"
    return "district" if governing else "district_department"


def fill(pattern: str, **values: object) -> str:
    """``pattern`` with its ``{name}`` fields filled (a field not given is left empty)."""
    return re.sub(r"\{(\w+)\}", lambda match: str(values.get(match[1], "")), pattern)


def demo_plan(*, seed_text: Path | None) -> list[Planned]:
    """Every demo document in the order they are imported (deterministic)."""
    organisations = {
        org.code: org for org in Organisation.objects.select_related("parent").order_by("code")
    }
    planner = _Planner(organisations)
    planner.general(GENERAL_COUNT)
    planner.gazette()
    planner.pairs()
    planner.not_proactive()
    planner.revised()
    planner.withdrawn()
    planner.interpretations()
    if seed_text is not None and seed_text.is_file():
        planner.plan.append(seed_document(seed_text.read_text(encoding="utf-8"), organisations))
    planner.numbers()
    return planner.plan


def seed_document(text: str, organisations: dict[str, Organisation]) -> Planned:
    """The seed work plan as a 通知 of 市政府办公厅: the text from the line after the copy's
    source line up to its website's 声明, as paragraphs (its title and the section headings
    as headings)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].startswith("来源"):
        lines = lines[1:]
    end = next((i for i, line in enumerate(lines) if line.startswith("声明")), len(lines))
    lines = lines[:end]
    heading = re.compile(rf"^[{_NUMERALS}]+、")
    sections = [heading.sub("", line) for line in lines if heading.match(line)]
    body = "\n".join(
        f"<h2>{html.escape(line)}</h2>"
        if line == SEED_TITLE
        else f"<h3>{html.escape(line)}</h3>"
        if heading.match(line)
        else f"<p>{html.escape(line)}</p>"
        for line in lines
    )
    return Planned(
        organisation=organisations["110000-BGT"],
        title=SEED_TITLE,
        genre="通知",
        topic="综合政务/政务公开",
        written_on=SEED_WRITTEN_ON,
        published_at=timezone.make_aware(datetime.combine(SEED_WRITTEN_ON, time(10))),
        summary="部署2018年全市政务公开工作：" + "；".join(sections) + "。",
        subject="政务公开",
        keywords=("政务公开", "工作要点"),
        numbered=False,
        body=body,
    )


# ---- Bodies -------------------------------------------------------------------------------

_HEADING = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+[编章节]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+条\s*")
_UNFIT = re.compile(
    r"本(条例|法|规定|办法|细则|决定|解释|规则)|前款|前条|第[一二三四五六七八九十百零〇\d]+[条款项]"
    r"|罚款|拘留|刑事责任|人民法院|人民检察院"
)
# List items and the lines that lead into them.
_ITEM = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]|[：；:;]$")
_CORPUS_REGIONS = ("北京", "全国")
_CORPUS_CATEGORIES = frozenset({"地方性法规", "行政法规", "部门规章", "行政法", "经济法", "社会法"})


@dataclass(frozen=True)
class CorpusText:
    title: str
    region: str
    sentences: tuple[str, ...]


def read_corpus(path: Path) -> list[CorpusText]:
    """The usable sentences of the corpus's Beijing and national regulations: whole sentences
    of 20–150 characters, not from enumerations, that do not refer to their own text (本条例,
    第三条 …) or to penalties and courts."""
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["region"] not in _CORPUS_REGIONS or item["category"] not in _CORPUS_CATEGORIES:
                continue
            sentences = tuple(_sentences(item["text"].splitlines()))
            if len(sentences) >= 3:
                texts.append(CorpusText(item["title"], item["region"], sentences))
    return texts


def _sentences(lines: Iterable[str]) -> Iterator[str]:
    for raw in lines:
        line = _ARTICLE.sub("", raw.strip())
        if not line or _HEADING.match(line) or _ITEM.search(line):
            continue
        for part in line.split("。"):
            sentence = part.strip()
            if 20 <= len(sentence) <= 150 and not _UNFIT.search(sentence):
                yield sentence + "。"


class BodyWriter:
    """Writes the body of a planned document: opening, numbered sections, closing."""

    def __init__(self, corpus: list[CorpusText]):
        self.data = demo_material()
        self.corpus = corpus
        self.beijing = [text for text in corpus if text.region == "北京"]
        self.matches: dict[tuple[str, ...], list[CorpusText]] = {}

    def paragraph(self, rng: random.Random, planned: Planned, place: str) -> str:
        texts = [] if planned.template_body else self._texts(planned.keywords)
        if not texts:
            pattern = rng.choice(self.data["paragraphs"])
            return fill(pattern, subject=planned.subject, place=place)
        text = rng.choice(texts)
        start = rng.randrange(len(text.sentences))
        return "".join(text.sentences[start : start + rng.randint(2, 3)])

    def _texts(self, keywords: tuple[str, ...]) -> list[CorpusText]:
        if keywords not in self.matches:
            found = [t for t in self.corpus if any(word in t.title for word in keywords)]
            self.matches[keywords] = found or self.beijing
        return self.matches[keywords]

    def body(self, planned: Planned, *, signature: str) -> str:
        rng = random.Random(f"{RANDOM_SEED}:{planned.index_no}")
        data, genre, place = self.data, planned.genre, place_name(planned.organisation)
        values = {
            "subject": planned.subject,
            "place": place,
            "year": planned.written_on.year,
            "policy": planned.policy.title if planned.policy else "",
        }
        lines = []
        if genre in ("通知", "意见", "决定"):
            lines.append(data["audiences"][audience_key(planned.organisation)])
        lines.append(fill(data["openings"].get(genre, data["openings"]["default"]), **values))
        paragraphs = [f"<p>{html.escape(line)}</p>" for line in lines]
        headings = data["interpretation_headings"] if genre == "解读" else data["headings"]
        chosen = sorted(rng.sample(range(len(headings)), rng.randint(2, 4)))
        for number, index in enumerate(chosen):
            paragraphs.append(f"<h3>{_NUMERALS[number]}、{html.escape(headings[index])}</h3>")
            paragraphs += [
                f"<p>{html.escape(self.paragraph(rng, planned, place))}</p>"
                for _count in range(rng.randint(1, 2))
            ]
        lines = [data["closings"][genre]] if genre in data["closings"] else []
        if genre != "解读":
            day = planned.written_on
            lines += [signature, f"{day.year}年{day.month}月{day.day}日"]
        paragraphs += [f"<p>{html.escape(line)}</p>" for line in lines]
        return "\n".join(paragraphs)


# ---- Loading ------------------------------------------------------------------------------


@dataclass
class DemoReport:
    imported: int = 0
    interpretations: int = 0
    existing: int = 0
    not_yet: int = 0  # planned after today (a clock behind the demo's dates)
    revised: int = 0
    withdrawn: int = 0
    replaced: int = 0
    issues: int | None = None  # of the gazette; None: nothing was loaded
    body_source: str = ""
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.issues is None:
            return "\n".join(f"政府信息：{note}" for note in self.notes)
        lines = [
            f"政府信息：新导入 {self.imported} 件（其中政策解读 {self.interpretations} 件），"
            f"已存在 {self.existing} 件；修订 {self.revised} 件，撤回 {self.withdrawn} 件，"
            f"标注废止或已修改 {self.replaced} 件；政府公报 {self.issues} 期。"
        ]
        if self.body_source:
            lines.append(f"  正文来源：{self.body_source}")
        if self.not_yet:
            lines.append(f"  {self.not_yet} 件的发布日期晚于今天，暂不导入。")
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def load_demo_documents() -> str:
    """The ``gongkai demo`` loader."""
    return str(demo_documents(seed_text=SEED_TEXT, corpus=CORPUS))


@transaction.atomic
def demo_documents(*, seed_text: Path | None, corpus: Path | None) -> DemoReport:
    """Import the demo documents that are missing and finish the later steps not yet done.
    ``seed_text`` and ``corpus`` are skipped, with a note, when absent."""
    report = DemoReport()
    office = User.objects.filter(username=OFFICE, kind=AccountKind.STAFF, is_active=True).first()
    if office is None:
        report.notes.append(f"未找到演示账户 {OFFICE}（公开办），未加载演示数据。")
        return report
    if seed_text is None or not seed_text.is_file():
        report.notes.append(f"未找到种子文件 {seed_text}，未发布《{SEED_TITLE}》。")
    plan = demo_plan(seed_text=seed_text)
    existing = set(
        Document.objects.filter(index_no__in=[p.index_no for p in plan]).values_list(
            "index_no", flat=True
        )
    )
    missing = [p for p in plan if p.index_no not in existing]
    report.existing = len(plan) - len(missing)
    if missing:
        writer = BodyWriter(_corpus(corpus, report))
        _import(missing, writer=writer, office=office, report=report)
    _later_steps(plan, office=office, report=report)
    report.issues = GazetteIssue.objects.count()
    return report


def _corpus(path: Path | None, report: DemoReport) -> list[CorpusText]:
    if path is None or not path.is_file():
        report.body_source = f"未找到语料库 {path}，使用 data/demo.yaml 中的模板段落。"
        return []
    texts = read_corpus(path)
    report.body_source = f"语料库 {path.name} 中北京市和全国性法规的 {len(texts)} 篇文本。"
    return texts


def _import(
    missing: list[Planned], *, writer: BodyWriter, office: User, report: DemoReport
) -> None:
    genres = {genre.name: genre for genre in Genre.objects.all()}
    topics = {
        str(topic).replace(" / ", "/"): topic for topic in Topic.objects.select_related("parent")
    }
    bases = {basis.code: basis for basis in LegalBasis.objects.all()}
    authors = _handlers()
    names = NameBook()
    policies = {
        policy.index_no: policy
        for policy in Document.objects.filter(
            index_no__in=[p.policy.index_no for p in missing if p.policy]
        )
    }
    now = timezone.now()
    for planned in missing:
        policy = policies.get(planned.policy.index_no) if planned.policy else None
        if planned.published_at > now or (planned.policy and policy is None):
            report.not_yet += 1  # dated after today, or interpreting such a document
            continue
        org = planned.organisation
        document, _created = services.document_import_published(
            actor=None,
            author=authors.get(org.pk, office),
            organisation=org,
            index_no=planned.index_no,
            title=planned.title,
            genre=genres[planned.genre],
            topic=topics[planned.topic],
            written_on=planned.written_on,
            published_at=planned.published_at,
            summary=planned.summary,
            body=planned.body or writer.body(planned, signature=names.on(org, planned.written_on)),
            keywords=" ".join(dict.fromkeys((planned.subject, planned.genre))),
            doc_no=planned.doc_no,
            disclosure=planned.disclosure,
            legal_basis=bases[planned.basis] if planned.basis else None,
            disclosure_reason=planned.reason,
            validity=planned.validity,
            interpretation=(
                InterpretationLink(policies=[policy], form=planned.form, leader_name=planned.leader)
                if policy
                else None
            ),
            gazette=planned.gazette,
        )
        if planned.normative:
            policies[document.index_no] = document
        report.imported += 1
        report.interpretations += planned.policy is not None


def _handlers() -> dict[int, User]:
    """Each organisation's first demo 经办人 (by user name), who is recorded as the 起草人 of its
    demo documents."""
    handlers: dict[int, User] = {}
    staff = User.objects.filter(
        kind=AccountKind.STAFF, is_active=True, role_assignments__role=Role.HANDLER
    ).order_by("username")
    for user in staff:
        if user.organisation_id is not None:
            handlers.setdefault(user.organisation_id, user)
    return handlers


class NameBook:
    """The name each organisation bore on a day (for the signature of a body)."""

    def __init__(self) -> None:
        self.names: dict[int, list[OrganisationName]] = {}
        for row in OrganisationName.objects.order_by("organisation_id", "valid_from", "pk"):
            self.names.setdefault(row.organisation_id, []).append(row)

    def on(self, org: Organisation, day: date) -> str:
        for row in self.names.get(org.pk, []):
            if (row.valid_from is None or row.valid_from <= day) and (
                row.valid_to is None or day < row.valid_to
            ):
                return row.name
        return org.name


def _later_steps(plan: list[Planned], *, office: User, report: DemoReport) -> None:
    """Validity links, revisions and the withdrawal, each only when not done yet (and the
    document is still as the demo left it)."""
    wanted = [p for p in plan if p.replaced or p.revision_note or p.withdraw]
    index_nos = [p.index_no for p in wanted] + [o.index_no for p in wanted for o, _v in p.replaced]
    documents = {
        document.index_no: document
        for document in Document.objects.filter(index_no__in=index_nos).select_related(
            "created_by", "organisation", "genre"
        )
    }
    for planned in wanted:
        document = documents.get(planned.index_no)
        if document is None:
            continue
        for older, outcome in planned.replaced:
            old = documents.get(older.index_no)
            if (
                old is not None
                and old.status == Status.PUBLISHED
                and old.validity == Validity.CURRENT
                and old.replaced_by_id is None
            ):
                services.document_set_validity(
                    actor=office, document=old, validity=outcome, replaced_by=document
                )
                report.replaced += 1
        if planned.revision_note and document.status == Status.PUBLISHED and document.version == 1:
            report.revised += _revise(document, planned, office=office, report=report)
        if planned.withdraw and document.status == Status.PUBLISHED:
            services.document_withdraw(actor=office, document=document, reason=WITHDRAWN_REASON)
            report.withdrawn += 1


def _revise(document: Document, planned: Planned, *, office: User, report: DemoReport) -> bool:
    """Take the document through a revision: its 经办人 drafts version 2, ``gkb`` reviews and
    publishes it."""
    handler = document.created_by
    if handler.pk == office.pk:
        report.notes.append(f"“{document.title}”的机构没有演示经办人，未作修订。")
        return False
    rng = random.Random(f"{RANDOM_SEED}:{document.index_no}:revision")
    addition = fill(
        rng.choice(demo_material()["paragraphs"]),
        subject=planned.subject,
        place=place_name(document.organisation),
    )
    services.document_start_revision(
        actor=office, document=document, change_note=planned.revision_note
    )
    services.document_update(
        actor=handler, document=document, body=f"{document.body}\n<p>{html.escape(addition)}</p>"
    )
    services.document_submit(actor=handler, document=document)
    services.document_start_review(actor=office, document=document)
    services.document_approve(actor=office, document=document)
    services.document_publish(actor=office, document=document)
    return True
