"""``gongkai demo``: load the demo data of every app (idempotent) and print the demo logins."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext_lazy

from gongkai.core.demo import demo_loaders


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "加载演示数据（机构、日历、演示账户等）；重复运行不会改变已有数据。"

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(gettext_lazy("数据库结构不是最新的，请先运行 gongkai migrate。"))
        for loader in demo_loaders():
            self.stdout.write(loader.load())
