"""``gongkai orgs``: resolve an organisation name, or load the reference data.

    gongkai orgs resolve 市环保局                 -> 北京市生态环境局 and the former name it matched
    gongkai orgs resolve 区政府 --context 110101001 --on 2018-05-11 --json
    gongkai orgs load                             -> adds the missing reference organisations

``resolve`` exits with status 1 when the name is not recognised (the JSON is printed all the
same); bad input is reported in Chinese on stderr with exit status 2.
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.calendar_data import parse_date
from gongkai.core.errors import CalendarError
from gongkai.orgs.errors import OrgError
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import MatchKind, NameMatch, Outcome, Resolution, org_resolve
from gongkai.orgs.services import org_load_reference_data

_MATCH_KINDS = {
    MatchKind.NAME: gettext_lazy("全称"),
    MatchKind.SHORT_NAME: gettext_lazy("简称"),
    MatchKind.ALIAS: gettext_lazy("别名"),
}


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "解析机构名称，或载入机构参考数据。"
    missing_args_message = gettext_lazy(
        "请指定子命令：resolve（解析机构名称）或 load（载入参考数据）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", metavar="子命令", help=_("resolve 或 load"))
        parser.add_argument(
            "name", nargs="?", metavar="名称", help=_("resolve：要解析的机构名称，如“市环保局”")
        )
        parser.add_argument("--json", action="store_true", help=_("resolve：以 JSON 输出"))
        parser.add_argument(
            "--on", metavar="YYYY-MM-DD", help=_("resolve：文件日期，按该日使用的名称解析")
        )
        parser.add_argument(
            "--context",
            metavar=_("机构代码"),
            help=_("resolve：发文机构的代码，用于解析“区政府”等相对称谓"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        try:
            if subcommand == "resolve":
                self.resolve(options)
            elif subcommand == "load":
                self.load()
            else:
                raise CommandError(
                    _("未知的子命令“%(name)s”，可用的子命令为 resolve 和 load。")
                    % {"name": subcommand},
                    returncode=2,
                )
        except OrgError as error:
            raise CommandError(error.message, returncode=2) from error

    def load(self) -> None:
        changes = org_load_reference_data(actor=None)
        if changes:
            self.stdout.write(
                _("已载入机构参考数据：新增或变更 %(count)d 项。") % {"count": changes}
            )
        else:
            self.stdout.write(_("机构参考数据已是最新，未作变更。"))

    def resolve(self, options: dict[str, Any]) -> None:
        name = options["name"]
        if not name or not name.strip():
            raise CommandError(
                _("请提供要解析的机构名称，例如：gongkai orgs resolve 市环保局"), returncode=2
            )
        resolution = org_resolve(
            name, on=_parse_date(options["on"]), context_org=_context(options["context"])
        )
        if options["json"]:
            self.stdout.write(json.dumps(resolution.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(_describe(resolution)))
        if resolution.outcome is Outcome.UNRESOLVED:
            raise CommandError(_("未能识别机构名称“%(name)s”。") % {"name": name}, returncode=1)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except CalendarError as error:
        raise CommandError(error.message, returncode=2) from None


def _context(code: str | None) -> Organisation | None:
    if code is None:
        return None
    organisation = Organisation.objects.filter(code=code.strip()).first()
    if organisation is None:
        raise CommandError(_("找不到机构代码为“%(code)s”的机构。") % {"code": code}, returncode=2)
    return organisation


def _line(org: Organisation) -> str:
    short = f"（{org.short_name}）" if org.short_name else ""
    return f"{org.code}  {org.name}{short}"


def _describe(resolution: Resolution) -> list[str]:
    text, outcome = resolution.text, resolution.outcome
    if outcome is Outcome.UNRESOLVED:
        return [_("%(text)s → 未能识别，保留原文。") % {"text": text}]
    if outcome is Outcome.SINGLE:
        lines = [f"{text} → {_line(resolution.single())}"]
        if resolution.match is not None and resolution.is_historical:
            lines.append("  " + _describe_match(resolution.match, resolution.single()))
        return lines
    heading = (
        _("%(text)s → 需人工选择，候选 %(count)d 个：")
        if outcome is Outcome.NEEDS_CHOICE
        else _("%(text)s → 集合称谓，共 %(count)d 个机构：")
    )
    lines = [heading % {"text": text, "count": len(resolution.organisations)}]
    return lines + ["  " + _line(org) for org in resolution.organisations]


def _describe_match(match: NameMatch, resolved: Organisation) -> str:
    since = match.valid_from.isoformat() if match.valid_from else _("不详")
    until = match.valid_to.isoformat() if match.valid_to else _("仍在使用")
    whose = (
        _("该机构")
        if match.organisation == resolved
        else _("已撤并机构“%(org)s”") % {"org": match.organisation.name}
    )
    return _(
        "匹配%(whose)s的曾用%(kind)s“%(text)s”（启用日期：%(since)s；停用日期：%(until)s）"
    ) % {
        "whose": whose,
        "kind": _MATCH_KINDS[match.kind],
        "text": match.text,
        "since": since,
        "until": until,
    }
