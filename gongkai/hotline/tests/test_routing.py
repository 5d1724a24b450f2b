"""Where the dispatch catalogue sends an order: by category and place, and by its words."""

import pytest

from gongkai.hotline import routing, services
from gongkai.hotline.models import Category, Urgency
from gongkai.orgs.services import org_alias_add

from .conftest import take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories():
    services.category_load_reference_data()


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def test_a_local_matter_goes_to_the_street_of_the_place(world):
    found = routing.route(take(world, category=category("0103")))  # 占道经营
    assert (found.organisation, found.reason, found.transfer) == (world.street, "属地事项", "")


def test_a_local_matter_without_a_street_goes_to_the_district_government(world):
    found = routing.route(take(world, category=category("0103"), street=None))
    assert found.organisation == world.district
    assert "街道不明" in found.reason


def test_a_district_department_missing_from_the_directory_falls_back_to_the_city_body(world):
    # The test organisations are created bare: give the city body the name the catalogue uses.
    org_alias_add(actor=None, organisation=world.other_district_department, alias="市发展改革委")
    found = routing.route(take(world, category=category("1603")))
    assert found.organisation == world.other_district_department  # 市发展改革委
    assert found.reason == "市级部门职责"


def test_a_district_department_in_the_directory_is_chosen(world):
    org_alias_add(actor=None, organisation=world.department, alias="区发展改革委")
    found = routing.route(take(world, category=category("1603")))
    assert (found.organisation, found.reason) == (world.department, "区级部门职责")


def test_an_emergency_is_transferred_not_dispatched(world):
    found = routing.route(take(world, content="小区3号楼着火了，浓烟很大，请马上处理"))
    assert (found.organisation, found.transfer) == (None, "119")


def test_words_raise_the_urgency_never_lower_it(world):
    outage = routing.route(take(world, content="我家从昨晚开始停电，至今没有恢复"))
    assert outage.urgency == Urgency.URGENT
    emergency = take(world, content="楼道里停电了", urgency=Urgency.EMERGENCY)
    assert routing.route(emergency).urgency == ""
