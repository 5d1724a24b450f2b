"""The core calendar functions read the test calendar in every foi test."""

from unittest import mock

import pytest

from gongkai.core import calendar as core_calendar
from gongkai.foi.tests import CALENDAR


@pytest.fixture(autouse=True, scope="module")
def _core_calendar_reads_the_test_calendar():
    with mock.patch.object(core_calendar, "_snapshot", return_value=CALENDAR):
        yield
