"""Demo accounts: staff for every role in several organisations, and one public user."""

from dataclasses import dataclass

from django.db import transaction

from gongkai.orgs.selectors import org_resolve

from . import services
from .models import Role, User

DEMO_PASSWORD = "Gongkai@2026"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    organisation: str  # a name the organisation resolver knows
    roles: tuple[Role, ...]


DEMO_STAFF = (
    DemoStaff("sysadmin", "周立", "市政府办公厅", (Role.SYSTEM_ADMIN,)),
    DemoStaff("secadmin", "吴杰", "市政府办公厅", (Role.SECURITY_ADMIN,)),
    DemoStaff("auditadmin", "郑敏", "市政府办公厅", (Role.AUDIT_ADMIN,)),
    DemoStaff("gkb", "王芳", "市政府办公厅", (Role.OPENNESS_OFFICE,)),
    DemoStaff("szf_jb", "高远", "市政府", (Role.HANDLER,)),
    DemoStaff("duban", "赵磊", "市政府办公厅", (Role.SUPERVISOR,)),
    DemoStaff("paidan", "刘洋", "市政务服务局", (Role.DISPATCHER,)),
    DemoStaff("hotline_hw", "孟晴", "市政务服务局", (Role.OPERATOR,)),
    DemoStaff("fgw_jb", "陈静", "市发展改革委", (Role.HANDLER,)),
    DemoStaff("fgw_sh", "孙伟", "市发展改革委", (Role.REVIEWER,)),
    DemoStaff("jw_jb", "李娜", "市教委", (Role.HANDLER, Role.REVIEWER)),
    DemoStaff("dc_gkb", "马超", "东城区政府", (Role.OPENNESS_OFFICE,)),
    DemoStaff("dc_jb", "杨帆", "东城区政府", (Role.HANDLER,)),
    DemoStaff("dhm_jb", "黄丽", "东华门街道", (Role.HANDLER, Role.REVIEWER)),
    DemoStaff("tz_jb", "林涛", "通州区政府", (Role.HANDLER,)),
    DemoStaff("cgw_jb", "何平", "市城市管理委", (Role.HANDLER,)),
    DemoStaff("zjw_jb", "许斌", "市住房城乡建设委", (Role.HANDLER,)),
)
DEMO_PUBLIC_PHONE = "13800138000"


@transaction.atomic
def load_demo_accounts() -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; returns (login, description) for each."""
    logins = []
    for staff in DEMO_STAFF:
        user = User.objects.filter(username=staff.username).first()
        if user is None:
            organisation = org_resolve(staff.organisation).single()
            user = services.account_create_staff(
                actor=None,
                username=staff.username,
                full_name=staff.full_name,
                organisation=organisation,
                password=DEMO_PASSWORD,
            )
            for role in staff.roles:
                services.role_grant(actor=None, user=user, role=role)
        roles = "、".join(str(role.label) for role in staff.roles)
        assert user.organisation is not None
        logins.append((staff.username, f"{roles}　{user.organisation.name}　{user.full_name}"))
    if not User.objects.filter(username=DEMO_PUBLIC_PHONE).exists():
        services.account_register_public(
            phone=DEMO_PUBLIC_PHONE, password=DEMO_PASSWORD, full_name="张明"
        )
    logins.append((DEMO_PUBLIC_PHONE, "公众　张明"))
    return logins


def demo_report() -> str:
    """Load the demo accounts and describe the logins for ``gongkai demo``."""
    rows = [f"  {login:<14}{description}" for login, description in load_demo_accounts()]
    return "\n".join([f"演示账户（密码均为 {DEMO_PASSWORD}，登录：/accounts/login/）：", *rows])
