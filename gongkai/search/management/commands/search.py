"""``gongkai search``: query the site search, or rebuild its index.

    gongkai search "营商环境" --json   -> {"total": N, "results": [{"id", "title", "url",
                                           "score"}, …]}
    gongkai search "政务公开 东城区" --sort date --page 2
    gongkai search reindex             -> rebuilds every source's entries, with a progress bar

Bad input is reported in Chinese on stderr with exit status 1.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from gongkai.core.errors import CoreError

from ...backends import Order
from ...registry import sources
from ...selectors import PAGE_SIZE, Query, search
from ...services import index_rebuild

REINDEX = "reindex"


class Command(BaseCommand):
    help = "全站搜索：检索公开内容（输出结果），或用 reindex 重建搜索索引。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help=_("关键词；写 reindex 则重建索引"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))
        parser.add_argument("--source", default="", help=_("只检索（或只重建）这一来源"))
        parser.add_argument("--org", default="", help=_("发布机构代码（含所属机构）"))
        parser.add_argument("--year", type=int, default=None, help=_("发布年份"))
        parser.add_argument(
            "--sort", choices=[o.value for o in Order], default=Order.RELEVANCE.value
        )
        parser.add_argument("--page", type=int, default=1, help=_("页码"))
        parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help=_("每页条数"))
        parser.add_argument("--workers", type=int, default=None, help=_("重建时的进程数"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["query"] == REINDEX:
                self._reindex(options)
            else:
                self._search(options)
        except CoreError as error:
            raise CommandError(error.message) from None

    def _search(self, options: dict[str, Any]) -> None:
        found = search(
            Query(
                q=options["query"],
                source=options["source"],
                org=options["org"],
                year=options["year"],
                order=Order(options["sort"]),
                page=max(1, options["page"]),
                page_size=options["page_size"],
            )
        )
        results = [
            {
                "id": f"{r.entry.source}:{r.entry.key}",
                "title": r.entry.title,
                "url": r.entry.url,
                "score": round(r.score, 6),
            }
            for r in found.results
        ]
        if options["json"]:
            answer = {"total": found.total, "results": results}
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
            return
        line = _("共 %(total)d 条以上结果") if found.more else _("共 %(total)d 条结果")
        self.stdout.write(line % {"total": found.total})
        for position, result in enumerate(results, start=found.page.start_index()):
            self.stdout.write(f"{position}. {result['title']}  {result['url']}")

    def _reindex(self, options: dict[str, Any]) -> None:
        only = [options["source"]] if options["source"] else []
        chosen = [sources()[key] for key in only if key in sources()] or list(sources().values())
        total = sum(s.count() for s in chosen if s.count is not None)
        with tqdm(
            total=total or None, unit="条", desc=_("重建搜索索引"), file=self.stderr._out
        ) as bar:
            written = index_rebuild(
                actor=None, only=only, progress=bar.update, workers=options["workers"]
            )
        self.stdout.write(_("搜索索引已重建，共 %(count)d 条。") % {"count": written})
