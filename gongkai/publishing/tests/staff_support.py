"""Helpers shared by the staff pages' tests: form data and posting workflow actions."""

from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.publishing.models import Disclosure, Document, Validity

from .workflow_support import WRITTEN_ON, genre, topic


def document_data(user: User, **overrides: Any) -> dict[str, Any]:
    """What the drafting form posts for a proactive 通知 of ``user``'s organisation."""
    assert user.organisation is not None
    data: dict[str, Any] = {
        "organisation": user.organisation.pk,
        "title": "关于做好2025年政务公开工作的通知",
        "genre": genre("通知").pk,
        "topic": topic().pk,
        "doc_no": "",
        "written_on": WRITTEN_ON.isoformat(),
        "formed_on": "",
        "validity": Validity.CURRENT,
        "keywords": "政务公开",
        "disclosure": Disclosure.PROACTIVE,
        "legal_basis": "",
        "disclosure_reason": "",
        "summary": "部署年度政务公开重点任务。",
        "body": "<p>各区人民政府，市政府各委、办、局：</p>",
    }
    return data | overrides


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def document_url(document: Document) -> str:
    return reverse("publishing:staff-document", args=[document.pk])


def act(client: Client, document: Document, action: str, **data: Any) -> Any:
    """Post ``action`` on ``document``; ``data`` are the form's fields without the prefix."""
    url = reverse("publishing:staff-action", args=[document.pk, action])
    return client.post(url, {f"{action}-{name}": value for name, value in data.items()})


def errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    """The errors of the form ``form`` in a response's context."""
    return {name: list(messages) for name, messages in response.context[form].errors.items()}


def action_errors(response: Any, action: str) -> dict[str, list[str]]:
    """The errors of the document page's form for ``action``."""
    forms = {chosen.value: form for chosen, form in response.context["action_forms"]}
    return {name: list(messages) for name, messages in forms[action].errors.items()}


def offered(response: Any) -> list[str]:
    """The actions the document page offers a form for."""
    return [action.value for action, _form in response.context["action_forms"]]
