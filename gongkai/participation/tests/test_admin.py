"""The consultation types in the admin: saved through the audited service, never deleted."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent
from gongkai.participation.models import ConsultationType

pytestmark = pytest.mark.django_db


def test_a_type_saved_in_the_admin_is_audited_and_cannot_be_deleted() -> None:
    admin = site._registry[ConsultationType]
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser(username="root", password="x")
    kind = ConsultationType.objects.get(code="normative_document")
    kind.minimum_period = 20
    admin.save_model(request, kind, form=None, change=True)
    event = AuditEvent.objects.get(action="participation.consultationtype.save")
    assert (event.actor_id, event.changes) == (request.user.pk, {"minimum_period": [30, 20]})
    assert not admin.has_delete_permission(request, kind)
    assert admin.get_readonly_fields(request, kind) == ("code",)
