"""``gongkai demo``: load the demo data of every app (idempotent) and print the demo logins."""

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.core.demo import demo_loaders


class Command(BaseCommand):
    help = "加载演示数据（机构、日历、演示账户等）；重复运行不会改变已有数据。"

    def handle(self, *args: Any, **options: Any) -> None:
        for loader in demo_loaders():
            self.stdout.write(loader.load())
