"""``gongkai privacy``: find or mask personal information in a UTF-8 text file.

    gongkai privacy scan FILE          -> a table: type, offsets, masked text
    gongkai privacy scan FILE --json   -> [{"type": "mobile", "start": 5, "end": 16, "text": ...}]
    gongkai privacy mask FILE          -> the text with each finding masked, nothing else changed

``FILE`` may be ``-`` for standard input. Offsets count characters of the decoded text. Only
personal findings are listed (not 统一社会信用代码); the rules are in ``gongkai/core/privacy.py``.
A missing, unreadable or non-UTF-8 file is reported in Chinese on stderr with exit status 1.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.privacy import KIND_LABELS, mask, scan


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "查找或遮盖文本文件中的个人信息（身份证号、手机号码、银行卡号等）。"
    missing_args_message = gettext_lazy("请指定子命令：scan 或 mask。")
    requires_system_checks: list[str] = []  # a text tool: needs neither models nor a database

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="子命令")
        find = commands.add_parser("scan", help=_("列出文件中的个人信息"))
        find.add_argument("file", help=_("UTF-8 文本文件路径，- 表示标准输入"))
        find.add_argument("--json", action="store_true", help=_("以 JSON 数组输出"))
        cover = commands.add_parser("mask", help=_("输出遮盖个人信息后的文本"))
        cover.add_argument("file", help=_("UTF-8 文本文件路径，- 表示标准输入"))

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read_text(options["file"])
        if options["subcommand"] == "mask":
            self.stdout.write(mask(text), ending="")
        elif options["json"]:
            findings = [
                {"type": str(f.kind), "start": f.start, "end": f.end, "text": f.text}
                for f in scan(text)
            ]
            self.stdout.write(json.dumps(findings, ensure_ascii=False))
        else:
            self.print_table(text)

    def print_table(self, text: str) -> None:
        findings = scan(text)
        if not findings:
            self.stdout.write(_("未发现个人信息。"))
            return
        self.stdout.write(_("类型\t起止\t内容（已遮盖）"))
        for finding in findings:
            label = KIND_LABELS[finding.kind]
            self.stdout.write(f"{label}\t{finding.start}-{finding.end}\t{finding.masked}")
        self.stdout.write(_("共 %(count)d 处。") % {"count": len(findings)})


def _read_text(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError as exc:
        raise CommandError(_("文件不存在：%(file)s") % {"file": name}) from exc
    except IsADirectoryError as exc:
        raise CommandError(_("%(file)s 是目录，请指定文本文件。") % {"file": name}) from exc
    except PermissionError as exc:
        raise CommandError(_("没有读取文件 %(file)s 的权限。") % {"file": name}) from exc
    except OSError as exc:
        raise CommandError(_("无法读取文件 %(file)s。") % {"file": name}) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("文件 %(file)s 不是有效的 UTF-8 文本（第 %(byte)d 字节）。")
            % {"file": name, "byte": exc.start + 1}
        ) from exc
