"""The demo documents need the demo accounts (their 起草人 and reviewer)."""

from pathlib import Path

import pytest

from gongkai.publishing.demo import demo_documents
from gongkai.publishing.models import Document

pytestmark = pytest.mark.django_db


def test_without_the_demo_accounts_nothing_is_loaded() -> None:
    report = demo_documents(seed_text=None, corpus=Path("/nonexistent/laws-zh.jsonl.gz"))

    assert str(report) == "政府信息：未找到演示账户 gkb（公开办），未加载演示数据。"
    assert not Document.objects.exists()
