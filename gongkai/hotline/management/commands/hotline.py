"""``gongkai hotline``: the 12345 work orders' rates, supervision, routing suggestion, e-mail
intake and import of history.

    gongkai hotline rates --month 2026-10 [--json]
        -> each organisation's orders, 响应率, 解决率, 满意率 and score for the month (JSON: a
           list of {"org", "orders", "response_rate", "resolution_rate", "satisfaction_rate",
           "score"}; rates are shares 0–1, the score 0–100, null where nothing was measured)
    gongkai hotline rollup [--month YYYY-MM]
        -> recomputes the rates rollup (the monthly tally the rates are read from) from the
           orders, for the month or for every month; run it after loading orders in bulk
           outside the services, or after changing GONGKAI_HOTLINE_RESPONSE_HOURS
    gongkai hotline train
        -> retrains the learned routing suggestion dispatchers see (with its confidence) from
           the latest accepted dispatches (GONGKAI_HOTLINE_SUGGEST_EXAMPLES, default 100,000)
           and replaces the model file (GONGKAI_HOTLINE_SUGGEST_MODEL); run it e.g. nightly,
           and after an import of historical orders
    gongkai hotline mail [--maildir DIR]
        -> receives citizens' e-mail as orders (channel 电子邮件): one message from standard
           input, as a mail server's pipe delivery runs it (Postfix alias:
           12345: "|/srv/gongkai/.venv/bin/gongkai hotline mail"), or every unseen message of
           a Maildir, marked seen once its order is saved. The same message twice makes one
           order (by its Message-ID). The sender is told the number by e-mail (EMAIL_URL).
           A message without sender or text is refused: exit 65 (EX_DATAERR), so that a mail
           server returns it to the sender with the reason
    gongkai hotline supervise
        -> starts the automatic supervisions (overdue orders, many orders about one category in
           one street); run it every hour
    gongkai hotline import FILE [--format csv|jsonl] [--encoding ENC] [--dry-run]
        -> imports historical orders, one per CSV row or JSON line (FILE "-": standard input;
           the format from the extension .csv / .jsonl unless given; CSV in UTF-8 with or
           without BOM, else GB18030, unless --encoding). Columns (CSV headers: these names or
           their Chinese labels): number, received_at*, channel, caller_name, caller_phone,
           caller_email, title, content*, request_type*, category, urgency, district, street,
           address, lead, co, dispatched_at, accepted_at, replied_at, reply, callback_at,
           resolved, satisfaction, closed_at, status, publish_consent (* required; values and
           rules: ``gongkai/hotline/importing.py``). An order whose number is already there is
           skipped, so a file can be imported again. Prints each rejected record's line, column
           and reason, then the counts; exits 1 when records were rejected. --dry-run checks
           and counts without writing.

Definitions: ``gongkai/hotline/selectors.py`` (``monthly_rates``) and the settings
``GONGKAI_HOTLINE_*``.
"""

import json
import mailbox
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.hotline import importing
from gongkai.hotline.mail import MailError
from gongkai.hotline.selectors import OrgRates, monthly_rates
from gongkai.hotline.services import (
    order_receive_email,
    orders_import,
    rates_rebuild,
    suggest_train,
    supervise_automatically,
)
from gongkai.hotline.suggest import SuggestError


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(
            _("月份“%(value)s”无效，请使用 YYYY-MM 格式，例如 2026-10。") % {"value": value}
        ) from None


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "12345 接诉即办：考核指标、督办、派单建议训练、来信受理和历史工单导入。"
    missing_args_message = gettext_lazy(
        "请指定子命令：rates、rollup、train、mail、supervise 或 import。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        rates = commands.add_parser("rates", help=_("各单位某月的响应率、解决率、满意率和综合得分"))
        rates.add_argument("--month", required=True, metavar="YYYY-MM", help=_("月份"))
        rates.add_argument("--json", action="store_true", help=_("以 JSON 输出"))
        rollup = commands.add_parser("rollup", help=_("从工单重新计算考核月度统计"))
        rollup.add_argument("--month", metavar="YYYY-MM", help=_("月份；默认全部月份"))
        commands.add_parser("train", help=_("用已签收的历史派单重新训练派单建议模型"))
        mail = commands.add_parser("mail", help=_("受理市民来信（电子邮件）"))
        mail.add_argument("--maildir", metavar="DIR", help=_("Maildir 邮箱目录；默认读标准输入"))
        commands.add_parser("supervise", help=_("对超期和反复诉求的工单自动督办"))
        load = commands.add_parser("import", help=_("导入历史工单（CSV 或 JSON Lines）"))
        load.add_argument("file", metavar="FILE", help=_("文件；“-”表示标准输入"))
        load.add_argument("--format", choices=["csv", "jsonl"], help=_("默认按扩展名判断"))
        load.add_argument("--encoding", help=_("CSV 编码；默认 UTF-8（可带 BOM），否则 GB18030"))
        load.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "supervise":
            count = supervise_automatically()
            self.stdout.write(_("新启动督办 %(count)d 件。") % {"count": count})
            return
        if options["subcommand"] == "rollup":
            month = options["month"]
            rows = rates_rebuild(months=None if month is None else [_month(month)])
            self.stdout.write(_("考核月度统计已重算，共 %(rows)d 行。") % {"rows": rows})
            return
        if options["subcommand"] == "import":
            self._import(options)
            return
        if options["subcommand"] == "mail":
            self._mail(options["maildir"])
            return
        if options["subcommand"] == "train":
            try:
                model = suggest_train(actor=None)
            except SuggestError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(
                _("派单建议模型已训练：%(examples)d 条派单，%(targets)d 个去向。")
                % {"examples": model.examples, "targets": len(model.targets)}
            )
            return
        rates = monthly_rates(_month(options["month"]))
        if options["json"]:
            self.stdout.write(json.dumps([self._row(r) for r in rates], ensure_ascii=False))
            return
        for r in rates:
            score = "—" if r.score is None else f"{r.score:.1f}"
            self.stdout.write(
                f"{r.organisation.name}\t{r.orders}\t{_percent(r.response_rate)}\t"
                f"{_percent(r.resolution_rate)}\t{_percent(r.satisfaction_rate)}\t{score}"
            )

    def _mail(self, maildir: str | None) -> None:
        if maildir is None:
            refused = not self._receive(sys.stdin.buffer.read())
        else:
            try:
                box = mailbox.Maildir(maildir, factory=None, create=False)
                keys = [k for k in box.iterkeys() if "S" not in box.get_message(k).get_flags()]
            except (OSError, mailbox.Error) as error:
                raise CommandError(_("无法读取邮箱：%(error)s") % {"error": error}) from None
            refused = False
            for key in keys:
                refused |= not self._receive(box.get_bytes(key))
                message = box.get_message(key)  # seen: its order is saved, or it was refused
                message.set_subdir("cur")
                message.add_flag("S")
                box[key] = message
        if refused:
            raise CommandError(_("有来信未能受理，见上。"), returncode=65)

    def _receive(self, raw: bytes) -> bool:
        try:
            order, created = order_receive_email(raw=raw)
        except MailError as error:
            self.stderr.write(str(error))
            return False
        if created:
            self.stdout.write(_("已受理，工单编号 %(number)s。") % {"number": order.number})
        else:
            self.stdout.write(_("此来信已受理过，工单编号 %(number)s。") % {"number": order.number})
        return True

    def _import(self, options: dict[str, Any]) -> None:
        name = options["file"]
        fmt = options["format"] or {".csv": "csv", ".jsonl": "jsonl"}.get(Path(name).suffix.lower())
        if fmt is None:
            raise CommandError(
                _("无法从文件名判断格式，请用 --format csv 或 --format jsonl 指明。")
            )
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = importing.decode(data, options["encoding"])
        except OSError as error:
            raise CommandError(_("无法读取文件：%(error)s") % {"error": error}) from None
        except (LookupError, UnicodeDecodeError):
            raise CommandError(_("无法按指定编码读取文件，请检查 --encoding。")) from None
        if fmt == "csv":
            unknown, rows = importing.csv_rows(text)
            if unknown:
                raise CommandError(_("未知的列：%(columns)s") % {"columns": "、".join(unknown)})
        else:
            rows = importing.jsonl_rows(text)
        result = orders_import(
            actor=None, rows=rows, source=Path(name).name, dry_run=options["dry_run"]
        )
        for rejected in result.rejected:
            for problem in rejected.problems:
                self.stderr.write(
                    _("第 %(line)d 行 %(problem)s") % {"line": rejected.line, "problem": problem}
                )
        summary = _("导入 %(imported)d 件，已有而跳过 %(skipped)d 件，有误未导入 %(rejected)d 件。")
        self.stdout.write(
            (_("（试运行，未写入）") if options["dry_run"] else "")
            + summary
            % {
                "imported": result.imported,
                "skipped": result.skipped,
                "rejected": len(result.rejected),
            }
        )
        if result.rejected:
            raise CommandError(_("有记录未通过检查，见上。"), returncode=1)

    @staticmethod
    def _row(rates: OrgRates) -> dict[str, Any]:
        return {
            "org": rates.organisation.code,
            "orders": rates.orders,
            "response_rate": _share(rates.response_rate),
            "resolution_rate": _share(rates.resolution_rate),
            "satisfaction_rate": _share(rates.satisfaction_rate),
            "score": None if rates.score is None else round(rates.score, 2),
        }
