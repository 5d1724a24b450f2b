"""The audit log pages, for holders of ``core.view_auditevent`` (the audit administrator)."""

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .audit import event_hash
from .forms import AuditFilterForm
from .models import AuditEvent
from .selectors import audit_event_list

PAGE_SIZE = 50


@login_required
@permission_required("core.view_auditevent", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    events = audit_event_list(**form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page})


@login_required
@permission_required("core.view_auditevent", raise_exception=True)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=pk)
    context = {
        "event": event,
        "changes": [_change_row(field, values) for field, values in event.changes.items()],
        "hash_matches": event_hash(event) == event.hash,
    }
    return render(request, "core/audit_detail.html", context)


def _change_row(field: str, values: object) -> tuple[str, str, str]:
    """(field, old, new) as text; a value that is not an ``[old, new]`` pair is shown as new."""
    old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
    return field, _as_text(old), _as_text(new)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
