"""Fixtures of the browser tests that drive the publishing pages."""

import pytest

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.accounts.services import role_grant
from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.publishing.models import Genre, LegalBasis, Topic
from gongkai.publishing.reference import load_reference_data

from .test_shell import PASSWORD


@pytest.fixture
def staff() -> dict[str, User]:
    """A 经办人 and a 审核人 of 市发展改革委, with the reference data (a transactional test
    starts from an emptied database)."""
    load_reference_data(topic_model=Topic, genre_model=Genre, basis_model=LegalBasis)
    organisation = Organisation.objects.create(
        code="110000-FGW",
        name="北京市发展和改革委员会",
        short_name="市发展改革委",
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
    )
    people = {}
    for username, full_name, role in (
        ("fgw_jb", "陈静", Role.HANDLER),
        ("fgw_sh", "王磊", Role.REVIEWER),
    ):
        people[username] = User.objects.create_user(
            username=username,
            password=PASSWORD,
            full_name=full_name,
            kind=AccountKind.STAFF,
            organisation=organisation,
        )
        role_grant(actor=None, user=people[username], role=role)
    return people
