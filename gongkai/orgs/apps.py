from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    label = "orgs"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader

        register_demo_loader("orgs", 20, _load_demo_organisations)


def _load_demo_organisations() -> str:
    from .models import Organisation
    from .services import org_load_reference_data

    changes = org_load_reference_data(actor=None)
    active = Organisation.objects.filter(is_active=True).count()
    return f"组织机构：{changes} 项变更（新建、更名、撤并），现有存续机构 {active} 个。"
