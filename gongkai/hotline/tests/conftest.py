"""The organisations and staff of the hotline tests, and an order's details."""

import pytest

from gongkai.accounts.models import Role
from gongkai.hotline import services
from gongkai.hotline.models import Channel, RequestType
from gongkai.orgs.models import Organisation
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff


@pytest.fixture
def world():
    orgs = make_orgs()
    street = Organisation.objects.create(
        code="110101001",
        name="北京市东城区东华门街道办事处",
        short_name="东华门街道",
        level="street",
        kind="government",
        parent=orgs["dongcheng"],
    )

    class World:
        city, district, department = orgs["city"], orgs["dongcheng"], orgs["dc_fgw"]
        other_district_department = orgs["fgw"]
        operator = make_staff("operator", orgs["city"], Role.OPERATOR)
        dispatcher = make_staff("dispatcher", orgs["city"], Role.DISPATCHER)
        supervisor = make_staff("supervisor", orgs["city"], Role.SUPERVISOR)
        street_handler = make_staff("street", street, Role.HANDLER)
        department_handler = make_staff("dept", orgs["dc_fgw"], Role.HANDLER)
        outsider = make_staff("outsider", orgs["czj"], Role.HANDLER)

    World.street = street
    return World


def intake(world, **changes):
    values = {
        "content": "东华门大街12号门前占道经营，晚上噪音扰民，已持续两周。",
        "request_type": RequestType.COMPLAINT,
        "caller_name": "王先生",
        "caller_phone": "13900139000",
        "district": world.district,
        "street": world.street,
        "address": "东华门大街12号",
    }
    values.update(changes)
    return services.Intake(**values)


def take(world, **changes):
    return services.order_create(
        actor=world.operator, channel=Channel.PHONE, intake=intake(world, **changes)
    )
