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
    DemoStaff("sysadmin", "周立（系统管理员）", "市政府办公厅", (Role.SYSTEM_ADMIN,)),
    DemoStaff("secadmin", "吴杰（安全管理员）", "市政府办公厅", (Role.SECURITY_ADMIN,)),
    DemoStaff("auditadmin", "郑敏（审计管理员）", "市政府办公厅", (Role.AUDIT_ADMIN,)),
    DemoStaff("gkb", "王芳（市政务公开办）", "市政府办公厅", (Role.OPENNESS_OFFICE,)),
    DemoStaff("duban", "赵磊（督办员）", "市政府办公厅", (Role.SUPERVISOR,)),
    DemoStaff("paidan", "刘洋（12345派单员）", "市政务服务办", (Role.DISPATCHER,)),
    DemoStaff("fgw_jb", "陈静（市发展改革委经办人）", "市发展改革委", (Role.HANDLER,)),
    DemoStaff("fgw_sh", "孙伟（市发展改革委审核人）", "市发展改革委", (Role.REVIEWER,)),
    DemoStaff("jw_jb", "李娜（市教委经办人）", "市教委", (Role.HANDLER, Role.REVIEWER)),
    DemoStaff("dc_gkb", "马超（东城区政务公开办）", "东城区政府", (Role.OPENNESS_OFFICE,)),
    DemoStaff("dc_jb", "杨帆（东城区经办人）", "东城区政府", (Role.HANDLER,)),
    DemoStaff("dhm_jb", "黄丽（东华门街道经办人）", "东华门街道", (Role.HANDLER, Role.REVIEWER)),
    DemoStaff("tz_jb", "林涛（通州区经办人）", "通州区政府", (Role.HANDLER,)),
)
DEMO_PUBLIC_PHONE = "13800138000"


@transaction.atomic
def load_demo_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts that are missing; returns (login, name, roles) for each."""
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
        logins.append((staff.username, staff.full_name, roles))
    if not User.objects.filter(username=DEMO_PUBLIC_PHONE).exists():
        services.account_register_public(
            phone=DEMO_PUBLIC_PHONE, password=DEMO_PASSWORD, full_name="张明（公众）"
        )
    logins.append((DEMO_PUBLIC_PHONE, "张明（公众）", "公众"))
    return logins
