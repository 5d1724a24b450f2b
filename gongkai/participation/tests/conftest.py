"""The time the participation services see, set by each test (tests never wait)."""

from collections.abc import Callable
from datetime import datetime

import pytest

from gongkai.participation import services

SetNow = Callable[[datetime], None]


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> SetNow:
    def set_(moment: datetime) -> None:
        monkeypatch.setattr(services, "current_time", lambda: moment)

    return set_
