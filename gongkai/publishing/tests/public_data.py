"""Test data for the public pages, feeds, sitemap and API, written straight through the ORM:
a ``Document`` row plus the ``DocumentVersion`` rows that publishing it would have made."""

from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    Disclosure,
    Document,
    DocumentVersion,
    Genre,
    Interpretation,
    LegalBasis,
    Status,
    Topic,
)

BEIJING = ZoneInfo("Asia/Shanghai")
_numbers = count(1)


def at(day: str, hour: int = 9) -> datetime:
    """A moment in Beijing time, e.g. ``at("2018-03-05")``."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), BEIJING).replace(
        hour=hour
    )


def organisation(code: str = "110000-BGT", name: str = "北京市人民政府办公厅") -> Organisation:
    found = Organisation.objects.filter(code=code).first()
    return found or Organisation.objects.create(
        code=code, name=name, short_name=name[:6], level="city", kind="department"
    )


def staff() -> User:
    found = User.objects.filter(username="drafter").first()
    return found or User.objects.create_user(
        username="drafter", password="Gongkai#2026", kind="staff", organisation=organisation()
    )


def topic(name: str = "政务公开") -> Topic:
    """A topic by a name that occurs once in the tree (not "其他")."""
    return Topic.objects.get(name=name)


def genre(name: str = "通知") -> Genre:
    return Genre.objects.get(name=name)


def document(
    title: str,
    *,
    published: str | None = "2018-03-05",
    disclosure: Disclosure = Disclosure.PROACTIVE,
    **fields: Any,
) -> Document:
    """A document; unless ``published`` is None, published once on that day (version 1)."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "index_no": f"110000-BGT/2018-{number:05d}",
        "title": title,
        "organisation": organisation(),
        "genre": genre(),
        "topic": topic(),
        "written_on": date(2018, 3, 1),
        "formed_on": date(2018, 3, 1),
        "summary": f"{title}的内容概述。",
        "body": f"<p>{title}的正文。</p>",
        "disclosure": disclosure,
        "status": Status.PUBLISHED if published else Status.DRAFT,
        "published_at": at(published) if published else None,
        "created_by": staff(),
        **fields,
    }
    if disclosure != Disclosure.PROACTIVE:
        values.setdefault("legal_basis", LegalBasis.objects.filter(attribute=disclosure).first())
        values.setdefault("disclosure_reason", "测试理由")
    made = Document.objects.create(**values)
    if published:
        publish_version(made, published=published)
    return made


def publish_version(document: Document, *, published: str, change_note: str = "") -> None:
    """Record the document's current text as its next published version."""
    last = document.versions.order_by("-version").first()
    DocumentVersion.objects.create(
        document=document,
        version=last.version + 1 if last else 1,
        title=document.title,
        doc_no=document.doc_no,
        summary=document.summary,
        body=document.body,
        change_note=change_note,
        published_at=at(published),
    )


def start_revision(document: Document, **draft: Any) -> None:
    """Put a published document back into drafting with the unpublished text ``draft``."""
    for name, value in draft.items():
        setattr(document, name, value)
    document.status = Status.DRAFT
    document.version += 1
    document.save()


def withdraw(document: Document, *, reason: str, day: str = "2019-01-10") -> None:
    document.status = Status.WITHDRAWN
    document.withdrawn_at = at(day)
    document.withdrawn_reason = reason
    document.save()


def interpret(
    interpretation: Document, *policies: Document, form: str = "text", leader_name: str = ""
) -> Interpretation:
    made = Interpretation.objects.create(
        document=interpretation, form=form, leader_name=leader_name
    )
    made.policies.set(policies)
    return made
