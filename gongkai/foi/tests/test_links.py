"""One-time access links: only a hash is stored, a link opens its application once, and it
expires (on SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.foi import services
from gongkai.foi.errors import FoiError, FoiErrorCode
from gongkai.foi.models import AccessLink

from .support import make_foi_staff, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return register(make_foi_staff())[0]


def test_a_link_opens_its_application_once(application):
    token = services.access_link_create(application=application)
    link = AccessLink.objects.get()
    assert token not in link.token_hash
    assert len(link.token_hash) == 64
    assert services.access_link_use(token=token) == application
    link.refresh_from_db()
    assert link.used_at is not None
    with pytest.raises(FoiError) as again:
        services.access_link_use(token=token)
    assert again.value.code == FoiErrorCode.LINK_USED
    assert AuditEvent.objects.filter(action="foi.access_link.use").count() == 1


def test_each_link_is_its_own(application):
    first = services.access_link_create(application=application)
    second = services.access_link_create(application=application)
    assert first != second
    services.access_link_use(token=first)
    assert services.access_link_use(token=second) == application


def test_a_link_lasts_the_configured_days(application, settings):
    settings.GONGKAI_FOI_LINK_DAYS = 7
    before = timezone.now()
    services.access_link_create(application=application)
    link = AccessLink.objects.get()
    assert before + timedelta(days=7) <= link.expires_at <= timezone.now() + timedelta(days=7)


def test_an_expired_link_is_refused_and_stays_unused(application):
    token = services.access_link_create(application=application)
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(FoiError) as expired:
        services.access_link_use(token=token)
    assert expired.value.code == FoiErrorCode.LINK_EXPIRED
    assert AccessLink.objects.get().used_at is None


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_an_unknown_link_is_refused(application, token):
    services.access_link_create(application=application)
    with pytest.raises(FoiError) as unknown:
        services.access_link_use(token=token)
    assert unknown.value.code == FoiErrorCode.LINK_UNKNOWN
    assert "查询码" in unknown.value.message
