"""``gongkai accounts``: bootstrap the administrators of a new installation, and recover.

    gongkai accounts create-admin zhouli --role system_admin --org 110000-BGT --full-name 周立
    gongkai accounts unlock zhouli

``create-admin`` asks for the password twice (or reads one line from standard input with
``--password-stdin``). There is no superuser: each administrator holds exactly one of the three
roles of 等保2.0, and every other account and role is then managed in the web pages.
"""

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts import services
from gongkai.accounts.errors import AccountError
from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import ADMIN_ROLES
from gongkai.orgs.selectors import org_detail


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation (``--help`` would fail).
    help = "创建管理员账户（系统、安全、审计管理员），或解除账户锁定。"
    missing_args_message = gettext_lazy("请指定子命令：create-admin 或 unlock。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", metavar="子命令", help=_("create-admin 或 unlock"))
        parser.add_argument("username", metavar="用户名")
        parser.add_argument(
            "--role", choices=sorted(ADMIN_ROLES), help=_("create-admin：管理员角色")
        )
        parser.add_argument("--org", metavar=_("机构代码"), help=_("create-admin：所属机构代码"))
        parser.add_argument("--full-name", default="", help=_("create-admin：姓名"))
        parser.add_argument(
            "--password-stdin", action="store_true", help=_("create-admin：从标准输入读取密码")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "create-admin":
                self.create_admin(options)
            elif options["subcommand"] == "unlock":
                self.unlock(options["username"])
            else:
                raise CommandError(
                    _("未知子命令“%s”，应为 create-admin 或 unlock。") % options["subcommand"]
                )
        except AccountError as error:
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error

    def create_admin(self, options: dict[str, Any]) -> None:
        if not options["role"] or not options["org"]:
            raise CommandError(_("create-admin 需要 --role 和 --org。"))
        organisation = org_detail(options["org"])
        if organisation is None or not organisation.is_active:
            raise CommandError(
                _("找不到存续机构“%s”（请用机构代码，见 /orgs/）。") % options["org"]
            )
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(_("用户名“%s”已存在。") % options["username"])
        password = self.read_password(options["password_stdin"])
        with transaction.atomic():
            user = services.account_create_staff(
                actor=None,
                username=options["username"],
                full_name=options["full_name"],
                organisation=organisation,
                password=password,
            )
            services.role_grant(actor=None, user=user, role=Role(options["role"]))
        self.stdout.write(
            _("已创建%(role)s账户 %(name)s（%(org)s）。")
            % {"role": Role(options["role"]).label, "name": user.username, "org": organisation}
        )

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass(_("密码："))
        if first != getpass.getpass(_("再次输入密码：")):
            raise CommandError(_("两次输入的密码不一致。"))
        return first

    def unlock(self, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户名“%s”不存在。") % username)
        services.account_unlock(actor=None, user=user)
        self.stdout.write(_("已解除账户 %s 的锁定。") % username)
