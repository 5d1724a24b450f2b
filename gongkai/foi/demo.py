"""Demo applications for disclosure on request (loader order 100, after the demo accounts).

What it loads, planned with a fixed random seed from ``data/demo.yaml``, for five Beijing
organisations (市发展改革委, 市教委, 东城区政府, 东华门街道, 通州区政府) and all six applicant
types (generated names, valid-checksum 身份证号 and 统一社会信用代码):

- about 130 applications received in 2025, answered with every outcome of ``models.Outcome``:
  some after a 补正, a third-party or agency consultation, an extension (one refused), a fee (an
  applicant with 14 requests to 通州区政府 in March pays 按件计收 for the 11th and lets the 12th
  lapse; another 按量计收 fee is paid, one is not), late replies, withdrawals;
- 8 received in December 2024 and answered in January 2025, 6 received in December 2025 and
  answered in January 2026 (the carried-over rows of the annual report);
- a few answered in 2026, and 9 open on the day the demo is loaded (received in the weeks
  before it): running, due soon, overdue, in consultation, extended, with an extension waiting
  for approval, waiting for a correction or a payment;
- 12 行政复议 and 行政诉讼 with every result;
- about 40 letters (DOCX and PDF; one reply letter per outcome, a partial disclosure with
  masked enclosures, correction, extension, consultation and fee letters), most delivered.

Everything goes through the services with ``services.local_today`` fixed to the day of each
act, so the clocks, deadlines, letter dates and the audit log are what they would have been.
An application whose applicant (证件号码) and description exist is left alone, so running the
demo again changes nothing.
"""

import io
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.demo import DEMO_PUBLIC_PHONE
from gongkai.accounts.models import User
from gongkai.core import calendar
from gongkai.core.privacy import credit_code_valid, id_card_valid
from gongkai.orgs.models import Organisation

from . import services
from .clock import Channel, EventKind, Party
from .models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    Delivery,
    IdType,
    InfoForm,
    Letter,
    LetterKind,
    Outcome,
)
from .services import ApplicantInput

DATA = Path(__file__).resolve().parent / "data" / "demo.yaml"
RANDOM_SEED = 20250115
YEAR = 2025
# Applications received in 2025 and answered in 2025, per outcome (with the heavy applicant's).
OUTCOMES = {
    Outcome.GRANTED: 36,
    Outcome.PARTIAL: 8,
    Outcome.D1: 1,
    Outcome.D2: 2,
    Outcome.D3: 1,
    Outcome.D4: 4,
    Outcome.D5: 2,
    Outcome.D6: 5,
    Outcome.D7: 3,
    Outcome.D8: 3,
    Outcome.U1: 14,
    Outcome.U2: 3,
    Outcome.U3: 2,
    Outcome.N1: 4,
    Outcome.N2: 2,
    Outcome.N3: 2,
    Outcome.N5: 2,
    Outcome.O1: 3,
    Outcome.O2: 1,
    Outcome.O3: 1,
    Outcome.NOT_THIS_AGENCY: 7,
    Outcome.SPECIAL_RULES: 3,
    Outcome.WITHDRAWN: 4,
}
# The applicant with 14 requests to 通州区政府 in March 2025 (按件计收 from the 11th).
HEAVY_ORG = "110112"
HEAVY_OUTCOMES = [Outcome.GRANTED, Outcome.GRANTED, Outcome.U1, Outcome.GRANTED, Outcome.U1]
HEAVY_OUTCOMES += [Outcome.D7, Outcome.GRANTED, Outcome.U1, Outcome.GRANTED, Outcome.GRANTED]
HEAVY_OUTCOMES += [Outcome.GRANTED, Outcome.O2, Outcome.N4, Outcome.N4]
CARRIED_IN = [Outcome.GRANTED, Outcome.GRANTED, Outcome.U1, Outcome.PARTIAL, Outcome.D6]
CARRIED_IN += [Outcome.NOT_THIS_AGENCY, Outcome.GRANTED, Outcome.U1]
CARRIED_OUT = [Outcome.GRANTED, Outcome.U1, Outcome.GRANTED, Outcome.D5, Outcome.N1]
CARRIED_OUT += [Outcome.GRANTED]
RECENT = [Outcome.GRANTED, Outcome.U1, Outcome.D5, Outcome.PARTIAL]
APPLICANT_TYPES = {
    ApplicantType.NATURAL: 70,
    ApplicantType.COMMERCIAL: 10,
    ApplicantType.RESEARCH: 4,
    ApplicantType.SOCIAL_WELFARE: 4,
    ApplicantType.LEGAL_SERVICES: 7,
    ApplicantType.OTHER: 5,
}
CHANNELS = {
    Channel.ONLINE: 55,
    Channel.IN_PERSON: 15,
    Channel.REGISTERED_POST: 20,
    Channel.ORDINARY_POST: 5,
    Channel.FAX: 5,
}
# 统一社会信用代码: 登记管理部门 and 机构类别 (GB 32100-2015) of each kind of organisation.
CREDIT_PREFIX = {
    ApplicantType.COMMERCIAL: "91",
    ApplicantType.RESEARCH: "12",
    ApplicantType.SOCIAL_WELFARE: "53",
    ApplicantType.LEGAL_SERVICES: "31",
    ApplicantType.OTHER: "Y1",
}
ID_REGIONS = ("110101", "110102", "110105", "110108", "110112", "110114", "130102", "370202")
POSTCODES = {"东城区": "100010", "西城区": "100032", "朝阳区": "100020", "海淀区": "100080"}
POSTCODES |= {"丰台区": "100071", "通州区": "101100"}
MAILBOX_LETTERS = "abcdefghjkmnpqrstwxyz"
FEE_PAGES = {"paid": 150, "unpaid": 650, "open": 90}


@cache
def demo_material() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return data


# ---- The plan ---------------------------------------------------------------------------------


@dataclass
class Act:
    on: date
    kind: str
    """One of ``_Loader.ACTS``."""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One demo application and what happens to it."""

    org: str
    applicant: ApplicantInput
    channel: Channel
    received: date
    submitted: date
    outcome: Outcome | None  # None: still open
    acts: list[Act] = field(default_factory=list)
    letters: set[LetterKind] = field(default_factory=set)
    enclosures: bool = False
    account: bool = False  # filed online by the demo public user

    @property
    def key(self) -> tuple[str, str]:
        return (self.applicant.id_number, self.applicant.information)


def workdays_after(day: date, n: int) -> date:
    return calendar.add_workdays(day, n)


def workdays_before(day: date, n: int) -> date:
    while n:
        day -= timedelta(days=1)
        n -= calendar.is_workday(day)
    return day


class _Planner:
    def __init__(self, today: date) -> None:
        self.data = demo_material()
        self.rng = random.Random(RANDOM_SEED)
        self.today = today
        self.people = 0
        self.cases: list[Case] = []
        self.used: Counter[str] = Counter()  # requests used per outcome, to cycle through them
        types = [kind for kind, weight in APPLICANT_TYPES.items() for _ in range(weight)]
        self.types = iter(self._cycle(types))
        # The demo public user 张明 files a few online (their identity data are generated).
        self.public = replace(
            self.applicant("", ApplicantType.NATURAL),
            name="张明",
            phone=DEMO_PUBLIC_PHONE,
            delivery=Delivery.ONLINE,
            form=InfoForm.ELECTRONIC,
        )

    def _cycle(self, items: list[Any]) -> Iterator[Any]:
        while True:
            self.rng.shuffle(items)
            yield from items

    # Applicants.

    def name(self) -> str:
        names = self.data["names"]
        return self.rng.choice(names["surnames"]) + self.rng.choice(names["given"])

    def applicant(self, information: str, kind: ApplicantType | None = None) -> ApplicantInput:
        self.people += 1
        kind = kind or next(self.types)
        names = self.data["names"]
        district = self.rng.choice(names["districts"])
        street, number = self.rng.choice(names["streets"]), self.rng.randint(1, 99)
        building, unit, room = (self.rng.randint(*span) for span in ((1, 12), (1, 6), (101, 1802)))
        address = f"北京市{district}{street}{number}号院{building}号楼{unit}单元{room}"
        delivery = self.rng.choices(
            [Delivery.EMAIL, Delivery.ONLINE, Delivery.POST, Delivery.PICKUP], [40, 30, 20, 10]
        )[0]
        common = {
            "applicant_type": kind,
            "phone": f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}",
            "information": information,
            "form": InfoForm.PAPER
            if delivery in (Delivery.POST, Delivery.PICKUP)
            else InfoForm.ELECTRONIC,
            "delivery": delivery,
            "email": f"{''.join(self.rng.choices(MAILBOX_LETTERS, k=5))}{self.people}@example.cn",
            "address": address,
            "postcode": POSTCODES[district],
        }
        if kind == ApplicantType.NATURAL:
            foreign = self.people % 40 == 7
            return ApplicantInput(
                name=self.name(),
                id_type=IdType.HK_MACAO if foreign else IdType.ID_CARD,
                id_number=f"H{self.rng.randrange(10**8):08d}" if foreign else self.id_number(),
                **common,
            )
        return ApplicantInput(
            name=self.organisation_name(kind),
            id_type=IdType.CREDIT_CODE,
            id_number=self.credit_code(kind),
            contact_person=self.name(),
            **common,
        )

    def id_number(self) -> str:
        born = date(1950, 1, 1) + timedelta(days=self.rng.randrange(50 * 365))
        base = f"{self.rng.choice(ID_REGIONS)}{born:%Y%m%d}{self.people % 1000:03d}"
        return next(base + c for c in "0123456789X" if id_card_valid(base + c))

    def credit_code(self, kind: ApplicantType) -> str:
        body = f"{self.people:04d}" + "".join(
            self.rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=5)
        )
        base = f"{CREDIT_PREFIX[kind]}{self.rng.choice(ID_REGIONS[:6])}{body}"
        return next(
            base + c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if credit_code_valid(base + c)
        )

    def organisation_name(self, kind: ApplicantType) -> str:
        names = self.data["names"]
        word = self.rng.choice(names["firm_words"])
        if kind == ApplicantType.OTHER:
            return f"{self.rng.choice(self.data['pools']['community'])}业主委员会"
        suffix = {
            ApplicantType.COMMERCIAL: "company_kinds",
            ApplicantType.RESEARCH: "research_kinds",
            ApplicantType.SOCIAL_WELFARE: "welfare_kinds",
            ApplicantType.LEGAL_SERVICES: "law_kinds",
        }[kind]
        return f"北京{word}{self.rng.choice(names[suffix])}"

    # Requests.

    def request(self, outcome: Outcome, **fill: Any) -> dict[str, Any]:
        """The next request of ``outcome``'s list, its placeholders filled in, and its org."""
        entries = self.data["requests"][outcome.value]
        entry = dict(entries[self.used[outcome] % len(entries)])
        self.used[outcome] += 1
        pools = self.data["pools"]
        values = {name: self.rng.choice(items) for name, items in pools.items()}
        values |= {"year": self.rng.choice((2023, 2024, 2025)), "n": 0} | fill
        entry["information"] = entry["information"].format(**values)
        entry["org"] = self.rng.choice(entry["orgs"])
        return entry

    def day_in(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        return day if calendar.is_workday(day) else workdays_after(day, 1)

    def case(
        self, outcome: Outcome | None, received: date, *, request: dict[str, Any], **kwargs: Any
    ) -> Case:
        applicant = kwargs.pop("applicant", None) or self.applicant(request["information"])
        channel = (
            kwargs.pop("channel", None)
            or self.rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        )
        lead = {Channel.REGISTERED_POST: 2, Channel.ORDINARY_POST: 2, Channel.FAX: 1}
        case = Case(
            org=request["org"],
            applicant=applicant,
            channel=channel,
            received=received,
            submitted=received - timedelta(days=lead.get(channel, 0)),
            outcome=outcome,
            **kwargs,
        )
        self.cases.append(case)
        return case

    def reply(self, case: Case, on: date, request: dict[str, Any]) -> None:
        assert case.outcome is not None
        if case.outcome == Outcome.WITHDRAWN:
            case.acts.append(Act(on, "withdraw"))
        elif case.outcome == Outcome.O1:
            case.acts.append(
                Act(on, "correction", {"days": 10, "note": self.data["acts"]["correction"]})
            )
        elif case.outcome == Outcome.O2:
            case.acts.append(Act(on, "fee", {"method": "per_page", "pages": FEE_PAGES["unpaid"]}))
        else:
            args = {
                "outcome": case.outcome,
                "note": request.get("note", ""),
                "referred_to": request.get("referred_to", ""),
            }
            case.acts.append(Act(on, "reply", args))

    # The groups of applications.

    def year(self) -> None:
        """The applications received and answered in 2025, with their variations."""
        acts = self.data["acts"]
        for outcome, count in OUTCOMES.items():
            for i in range(count):
                request = self.request(outcome)
                received = self.day_in(date(YEAR, 1, 2), date(YEAR, 10, 31))
                by_public_user = outcome == Outcome.GRANTED and i == 0
                case = self.case(
                    outcome,
                    received,
                    request=request,
                    applicant=replace(self.public, information=request["information"])
                    if by_public_user
                    else None,
                    channel=Channel.ONLINE if by_public_user else None,
                    account=by_public_user,
                    enclosures=outcome == Outcome.PARTIAL and i == 0,
                )
                start, days = received, self.rng.randint(3, 18)
                variant = i % 9 if outcome == Outcome.GRANTED else None
                if outcome == Outcome.U3 or variant == 2:  # 补正 first
                    asked = workdays_after(received, self.rng.randint(2, 6))
                    start = workdays_after(asked, self.rng.randint(3, 9))
                    case.acts += [
                        Act(asked, "correction", {"days": 15, "note": acts["correction"]}),
                        Act(start, "corrected"),
                    ]
                if (outcome in (Outcome.D4, Outcome.PARTIAL) and i % 2 == 0) or variant == 4:
                    sent = workdays_after(start, 2)
                    third_party = acts["third_parties"][i % len(acts["third_parties"])]
                    case.acts.append(
                        Act(sent, "consult", {"party": Party.THIRD_PARTY, "note": third_party})
                    )
                    if i % 4 != 2:  # else the 15 working days pass without an answer
                        answer = acts["consent"] if variant == 4 else acts["objection"]
                        answered = workdays_after(sent, self.rng.randint(5, 14))
                        case.acts.append(Act(answered, "answered", {"note": answer}))
                    days += 15
                if variant == 6:  # another agency co-produced the information (art. 34)
                    sent = workdays_after(start, 3)
                    case.acts += [
                        Act(sent, "consult", {"party": Party.AGENCY, "note": acts["agency"]}),
                        Act(workdays_after(sent, 8), "answered", {"note": acts["consent"]}),
                    ]
                    days += 8
                if variant == 3:
                    case.acts.append(Act(workdays_after(start, 17), "extend", {"days": 20}))
                    days = self.rng.randint(25, 36)
                if outcome == Outcome.U1 and i == 1:
                    extend = {"days": 10, "refuse": True}
                    case.acts.append(Act(workdays_after(start, 15), "extend", extend))
                    days = 19
                if variant == 8:
                    days = self.rng.randint(21, 24)  # answered late
                if outcome == Outcome.GRANTED and i == 5:  # 按量计收, paid
                    notified = workdays_after(start, 4)
                    paid = workdays_after(notified, 6)
                    fee = {"method": "per_page", "pages": FEE_PAGES["paid"]}
                    case.acts += [Act(notified, "fee", fee), Act(paid, "paid")]
                    start, days = paid, 5
                if outcome in (Outcome.WITHDRAWN, Outcome.O1, Outcome.O2):
                    days = self.rng.randint(2, 6)
                case.acts.sort(key=lambda act: act.on)
                self.reply(case, workdays_after(start, days), request)

    def heavy(self) -> None:
        """One person's 14 requests to 通州区政府 in March 2025: the 11th and 12th are charged
        按件计收, the 11th is paid, the 12th lapses; the last two are 大量反复申请."""
        person = self.applicant("", ApplicantType.NATURAL)
        template = self.data["requests"]["n4"][0]["information"]
        village = self.data["pools"]["village"][0]
        received = date(YEAR, 3, 3)
        for n, outcome in enumerate(HEAVY_OUTCOMES, start=1):
            request = {"org": HEAVY_ORG, "information": template.format(village=village, n=n)}
            case = self.case(
                outcome,
                received,
                request=request,
                applicant=replace(person, information=request["information"]),
                channel=Channel.ONLINE,
            )
            if n in (11, 12):
                notified = workdays_after(received, 2)
                case.acts.append(Act(notified, "fee", {"method": "per_piece", "pages": None}))
                if n == 11:
                    paid = workdays_after(notified, 5)
                    case.acts.append(Act(paid, "paid"))
                    self.reply(case, workdays_after(paid, 6), request)
                continue
            self.reply(case, workdays_after(received, self.rng.randint(8, 18)), request)
            received = workdays_after(received, 1)

    def over_the_year_end(self, outcomes: list[Outcome], first: date, last: date) -> None:
        """Received in late December, answered in the first days of the next year."""
        new_year = workdays_after(date(last.year, 12, 31), 1)
        for outcome in outcomes:
            request = self.request(outcome)
            received = self.day_in(first, last)
            case = self.case(outcome, received, request=request)
            replied = workdays_after(received, self.rng.randint(8, 19))
            self.reply(
                case, max(replied, workdays_after(new_year, self.rng.randint(0, 3))), request
            )

    def recent(self) -> None:
        """Answered in the months before today."""
        for outcome in RECENT:
            request = self.request(outcome)
            received = workdays_before(self.today, self.rng.randint(45, 80))
            case = self.case(outcome, received, request=request)
            self.reply(case, workdays_after(received, self.rng.randint(8, 18)), request)

    def open_now(self) -> None:
        """Open on the day the demo is loaded: (working days since receipt, acts, filed by the
        demo public user)."""
        acts = self.data["acts"]

        def back(n: int) -> date:
            return workdays_before(self.today, n)

        consult = {"party": Party.THIRD_PARTY, "note": acts["third_parties"][0]}
        correction = {"days": 15, "note": acts["correction"]}
        fee = {"method": "per_page", "pages": FEE_PAGES["open"]}
        plans: list[tuple[int, list[Act], bool]] = [
            (1, [], True),  # just received
            (17, [], False),  # due soon
            (24, [], False),  # overdue
            (5, [], False),  # the last day to ask for a 补正 is near
            (10, [Act(back(6), "consult", consult)], False),
            (19, [Act(back(2), "extend", {"days": 15})], False),
            (15, [Act(back(1), "extension_requested", {"days": 10})], False),
            (6, [Act(back(3), "correction", correction)], True),
            (8, [Act(back(2), "fee", fee)], False),
        ]
        for ago, case_acts, by_public_user in plans:
            request = self.request(Outcome.GRANTED)
            self.case(
                None,
                back(ago),
                request=request,
                acts=case_acts,
                applicant=replace(self.public, information=request["information"])
                if by_public_user
                else None,
                channel=Channel.ONLINE if by_public_user else None,
                account=by_public_user,
            )

    def appeals(self) -> None:
        """行政复议 and 行政诉讼 with every result: (outcome of the application, whether it
        must be a government's (a lawsuit), [(kind, days after the step before, result, days
        to decide)])."""
        courts = {code for code, org in self.data["organisations"].items() if "court" in org}
        r, d, a = (
            AppealKind.RECONSIDERATION,
            AppealKind.LITIGATION_DIRECT,
            AppealKind.LITIGATION_AFTER,
        )
        upheld, corrected, other, pending = (
            AppealResult.UPHELD,
            AppealResult.CORRECTED,
            AppealResult.OTHER,
            AppealResult.PENDING,
        )
        plans = [
            (Outcome.D6, True, [(r, 30, upheld, 55), (a, 10, upheld, 120)]),
            (Outcome.U1, True, [(r, 25, upheld, 50), (a, 12, corrected, 150)]),
            (Outcome.D4, True, [(r, 40, upheld, 60), (a, 14, other, 100)]),
            (Outcome.D7, True, [(r, 20, upheld, 58), (a, 8, pending, 0)]),
            (Outcome.U2, False, [(r, 35, corrected, 60)]),
            (Outcome.N2, False, [(r, 15, other, 45)]),
            (Outcome.PARTIAL, False, [(r, 45, upheld, 70)]),
            (Outcome.D2, True, [(d, 60, upheld, 120)]),
            (Outcome.N1, True, [(d, 90, corrected, 150)]),
            (Outcome.SPECIAL_RULES, True, [(d, 30, other, 90)]),
            (Outcome.U3, True, [(d, 150, pending, 0)]),
        ]
        for outcome, lawsuit, chain in plans:
            case = next(
                c
                for c in self.cases
                if c.outcome == outcome
                and c.received.year == YEAR
                and (not lawsuit or c.org in courts)
            )
            self.appeal(case, chain)
        recent = next(
            c for c in self.cases if c.received.year > YEAR and c.outcome == Outcome.PARTIAL
        )
        self.appeal(recent, [(r, 20, pending, 0)])

    def appeal(self, case: Case, chain: list[tuple[AppealKind, int, AppealResult, int]]) -> None:
        last = max(act.on for act in case.acts)
        for kind, after, result, decide in chain:
            filed = last + timedelta(days=after)
            decided = None if result == AppealResult.PENDING else filed + timedelta(days=decide)
            if filed > self.today:
                return
            args = {
                "kind": kind,
                "result": result,
                "decided": decided,
                "number": self.rng.randint(12, 480),
            }
            case.acts.append(Act(filed, "appeal", args))
            last = decided or filed

    def choose_letters(self) -> None:
        """About 40 letters: a reply for the first application of each outcome received in
        2025, and of each other kind one per outcome, the open applications first (fee notices
        are issued with every fee)."""
        replied: set[Outcome] = set()
        for case in self.cases:
            if case.outcome and case.received.year == YEAR and case.outcome not in replied:
                replied.add(case.outcome)
                case.letters.add(LetterKind.REPLY)
            if case.enclosures:
                case.letters.add(LetterKind.REPLY)
        chosen: dict[LetterKind, set[Outcome | None]] = {
            LetterKind.CORRECTION: set(),
            LetterKind.EXTENSION: set(),
            LetterKind.CONSULTATION: set(),
        }
        for case in reversed(self.cases):
            for act in case.acts:
                kind = LETTER_OF_ACT.get(act.kind)
                if (
                    kind is None
                    or case.outcome in chosen[kind]
                    or act.args.get("refuse")
                    or act.args.get("party") == Party.AGENCY
                ):
                    continue
                chosen[kind].add(case.outcome)
                case.letters.add(kind)


LETTER_OF_ACT = {
    "correction": LetterKind.CORRECTION,
    "extend": LetterKind.EXTENSION,
    "consult": LetterKind.CONSULTATION,
}


def demo_plan(today: date) -> list[Case]:
    """Every demo application that has happened by ``today``, in the order of receipt (so that
    receipt numbers follow it)."""
    planner = _Planner(today)
    planner.year()
    planner.heavy()
    planner.over_the_year_end(CARRIED_IN, date(YEAR - 1, 12, 16), date(YEAR - 1, 12, 27))
    planner.over_the_year_end(CARRIED_OUT, date(YEAR, 12, 15), date(YEAR, 12, 26))
    planner.recent()
    planner.open_now()
    planner.appeals()
    planner.choose_letters()
    cases = sorted(planner.cases, key=lambda case: case.received)
    if len({case.key for case in cases}) != len(cases):
        raise AssertionError("two demo applications have the same applicant and description")
    return [case for case in cases if all(act.on <= today for act in case.acts)]


# ---- Loading ----------------------------------------------------------------------------------


class _Today:
    """What ``services.local_today`` answers while the demo is loaded."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@dataclass
class DemoReport:
    planned: int = 0
    received_in_year: int = 0
    created: int = 0
    letters: int = 0
    appeals: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"依申请公开：演示申请 {self.planned} 件（本次新增 {self.created} 件），"
            f"其中 {YEAR} 年新收 {self.received_in_year} 件；本次生成文书 {self.letters} 份，"
            f"记录复议诉讼 {self.appeals} 件。"
        ]
        return "\n".join(lines + [f"  {note}" for note in self.notes])


def load_demo_applications() -> str:
    """The ``gongkai demo`` loader."""
    return str(demo_applications())


def demo_applications(*, today: date | None = None) -> DemoReport:
    """Load the demo applications that are missing, as of ``today`` (default: today)."""
    today = today or timezone.localdate()
    report = DemoReport()
    material = demo_material()["organisations"]
    usernames = {name for org in material.values() for name in (org["handler"], org["office"])}
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=usernames | {DEMO_PUBLIC_PHONE}, is_active=True
        )
    }
    organisations = {org.code: org for org in Organisation.objects.filter(code__in=material)}
    missing = sorted((usernames | {DEMO_PUBLIC_PHONE}) - set(users)) + sorted(
        set(material) - set(organisations)
    )
    if missing:
        report.notes.append(
            f"未找到演示账户或机构 {'、'.join(missing)}，未加载依申请公开演示数据。"
        )
        return report
    plan = demo_plan(today)
    report.planned = len(plan)
    report.received_in_year = sum(case.received.year == YEAR for case in plan)
    existing = set(
        Application.objects.filter(
            id_number__in={case.applicant.id_number for case in plan}
        ).values_list("id_number", "information")
    )
    clock = _Today(today)
    with mock.patch.object(services, "local_today", clock):
        for case in plan:
            if case.key in existing:
                continue
            with transaction.atomic():
                _Loader(
                    case, clock, today, users, organisations[case.org], material[case.org]
                ).load(report)
            report.created += 1
    return report


class _Loader:
    """Files one planned application and does its acts through the services."""

    def __init__(
        self,
        case: Case,
        clock: _Today,
        today: date,
        users: dict[str, User],
        organisation: Organisation,
        material: dict[str, str],
    ) -> None:
        self.case, self.clock, self.today = case, clock, today
        self.organisation, self.material = organisation, material
        self.handler = users[material["handler"]]
        self.office = users[material["office"]]
        self.public_user = users[DEMO_PUBLIC_PHONE]
        self.acts: dict[str, Callable[[Application, Act], object]] = {
            "correction": self.correction,
            "corrected": self.corrected,
            "consult": self.consult,
            "answered": self.answered,
            "extend": self.extend,
            "extension_requested": self.extension_requested,
            "fee": self.fee,
            "paid": self.paid,
            "reply": self.reply,
            "withdraw": self.withdraw,
            "appeal": self.appeal,
        }

    def load(self, report: DemoReport) -> None:
        case = self.case
        self.clock.day = case.received
        if case.channel == Channel.ONLINE:
            application, _code = services.application_submit(
                account=self.public_user if case.account else None,
                organisation=self.organisation,
                applicant=case.applicant,
            )
        else:
            application, _code = services.application_register(
                actor=self.handler,
                organisation=self.organisation,
                applicant=case.applicant,
                channel=case.channel,
                submitted_on=case.submitted,
                signed_on=case.received if case.channel == Channel.REGISTERED_POST else None,
                confirmed_on=case.received
                if case.channel in (Channel.ORDINARY_POST, Channel.FAX)
                else None,
            )
        for act in case.acts:
            self.clock.day = act.on
            self.acts[act.kind](application, act)
        self.clock.day = self.today
        services.refresh_clock(application)  # lapsed periods close the application (o1, o2)
        application.refresh_from_db()
        self.letters(application)
        report.letters += application.letters.count()
        report.appeals += application.appeals.count()

    # The acts.

    def _record(self, application: Application, act: Act, kind: EventKind, **kwargs: Any) -> None:
        services.application_record(
            actor=self.handler, application=application, kind=kind, on=act.on, **kwargs
        )

    def correction(self, application: Application, act: Act) -> None:
        self._record(application, act, EventKind.CORRECTION_REQUESTED, **act.args)

    def corrected(self, application: Application, act: Act) -> None:
        self._record(application, act, EventKind.CORRECTION_RECEIVED)

    def consult(self, application: Application, act: Act) -> None:
        self._record(application, act, EventKind.CONSULTATION_SENT, **act.args)

    def answered(self, application: Application, act: Act) -> None:
        self._record(application, act, EventKind.CONSULTATION_ANSWERED, key="C1", **act.args)

    def extend(self, application: Application, act: Act) -> None:
        request = services.extension_request(
            actor=self.handler,
            application=application,
            days=act.args["days"],
            reason=demo_material()["acts"]["extension"],
        )
        refuse = act.args.get("refuse", False)
        services.extension_decide(
            actor=self.office,
            request=request,
            approve=not refuse,
            on=act.on,
            note="经审查，可以在法定期限内答复。" if refuse else "同意延期。",
        )

    def extension_requested(self, application: Application, act: Act) -> None:
        services.extension_request(
            actor=self.handler,
            application=application,
            days=act.args["days"],
            reason=demo_material()["acts"]["extension"],
        )

    def fee(self, application: Application, act: Act) -> None:
        services.fee_notify(actor=self.handler, application=application, on=act.on, **act.args)

    def paid(self, application: Application, act: Act) -> None:
        self._record(application, act, EventKind.FEE_PAID)

    def reply(self, application: Application, act: Act) -> None:
        services.application_reply(
            actor=self.handler, application=application, on=act.on, **act.args
        )

    def withdraw(self, application: Application, act: Act) -> None:
        services.application_withdraw(
            actor=self.handler,
            application=application,
            on=act.on,
            note="申请人来电表示已通过其他途径获取相关信息，申请撤回。",
        )

    def appeal(self, application: Application, act: Act) -> None:
        kind, number = act.args["kind"], act.args["number"]
        if kind == AppealKind.RECONSIDERATION:
            body = self.material["reconsideration"]
            prefix = "京政复" if body == "北京市人民政府" else "东政复"
            case_no = f"{prefix}〔{act.on.year}〕{number}号"
        else:
            body = self.material["court"]
            case_no = f"（{act.on.year}）京04行初{number}号"
        appeal = services.appeal_record(
            actor=self.handler,
            application=application,
            kind=kind,
            filed_on=act.on,
            case_no=case_no,
            body=body,
        )
        decided = act.args["decided"]
        if decided is not None and decided <= self.today:
            self.clock.day = decided
            services.appeal_decide(
                actor=self.handler, appeal=appeal, result=act.args["result"], decided_on=decided
            )

    # The letters.

    def letters(self, application: Application) -> None:
        for kind in sorted(self.case.letters):
            if kind == LetterKind.REPLY:
                enclosures = _enclosures(self.case) if self.case.enclosures else []
                services.letter_issue(
                    actor=self.handler,
                    application=application,
                    kind=kind,
                    enclosures=enclosures,
                )
            else:
                event = application.events.filter(kind=services.LETTER_EVENTS[kind]).first()
                assert event is not None  # the plan gives letters to acts that happened
                services.letter_issue(
                    actor=self.handler, application=application, kind=kind, event=event
                )
        letter: Letter
        for letter in application.letters.all():
            delivered = workdays_after(letter.issued_on, 1 + letter.sequence % 3)
            if delivered > self.today:
                continue
            way = Delivery.POST if letter.kind == LetterKind.CONSULTATION else application.delivery
            self.clock.day = delivered
            services.letter_deliver(
                actor=self.handler, letter=letter, way=Delivery(way), on=delivered
            )


def _enclosures(case: Case) -> list[SimpleUploadedFile]:
    """A partial disclosure's information: a summary table (plain text and Word) that names
    other people, whose personal data are masked when the letter is issued."""
    from docx import Document

    planner = _Planner(case.received)
    rng = planner.rng = random.Random(case.applicant.id_number)
    rows = []
    for n in range(1, 6):
        person = planner.applicant("", ApplicantType.NATURAL)
        rows.append(
            f"{n}. 姓名：{person.name}，身份证号：{person.id_number}，联系电话：{person.phone}，"
            f"补偿金额：{rng.randint(80, 260) * 10_000:,}元"
        )
    title = "补偿协议汇总表（摘录）"
    text = "\n".join([title, *rows, "（以下空白）"]) + "\n"
    document = Document()
    document.add_heading(title, level=1)
    for row in rows:
        document.add_paragraph(row)
    buffer = io.BytesIO()
    document.save(buffer)
    return [
        SimpleUploadedFile("补偿协议汇总表.txt", text.encode("utf-8")),
        SimpleUploadedFile("补偿协议汇总表.docx", buffer.getvalue()),
    ]
