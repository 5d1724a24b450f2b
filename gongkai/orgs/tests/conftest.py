from collections.abc import Callable

import pytest

from gongkai.orgs.models import Organisation


@pytest.fixture
def org(beijing: None) -> Callable[[str], Organisation]:
    """The organisation with a code, e.g. ``org("110000-FGW")``."""
    return lambda code: Organisation.objects.get(code=code)
