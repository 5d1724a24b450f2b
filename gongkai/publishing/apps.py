from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "gongkai.publishing"
    label = "publishing"
    verbose_name = _("政府信息公开")

    def ready(self) -> None:
        from gongkai.core.demo import register_demo_loader
        from gongkai.portal.navigation import register_nav_item
        from gongkai.portal.workbench import register_todo_provider
        from gongkai.search.registry import register_source

        from .demo import load_demo_documents
        from .indexing import SOURCE
        from .permissions import has_publishing_role
        from .todos import publication_todos

        register_source(SOURCE)
        register_todo_provider("publishing.deadlines", _("政府信息发布期限"), publication_todos)
        register_nav_item(
            "publishing.column",
            _("政府信息公开"),
            "publishing:column",
            20,
            description=_("公开指南、公开制度和法定主动公开内容。"),
        )
        register_nav_item(
            "publishing.library",
            _("政策文件库"),
            "publishing:library",
            25,
            description=_("按发布机构、年份、主题、体裁和有效性查找政策文件。"),
        )
        register_nav_item(
            "publishing.gazette",
            _("政府公报"),
            "publishing:gazette",
            27,
            description=_("按年份和期号查阅政府公报各期目录、刊登的文件和公报 PDF。"),
        )
        register_nav_item(
            "publishing.staff",
            _("政府信息管理"),
            "publishing:staff-list",
            905,
            audience="staff",
            visible=has_publishing_role,
        )
        # After the demo accounts (90): the demo documents are drafted by their staff.
        register_demo_loader("publishing", 95, load_demo_documents)
        _connect_page_cache_invalidation()


def _connect_page_cache_invalidation() -> None:
    """Cached public pages go stale when anything they show changes (decision 0005)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from gongkai.core.pagecache import pages_changed
    from gongkai.orgs.models import Organisation, OrganisationName

    from . import models

    shown = (
        models.Document,
        models.DocumentVersion,
        models.Attachment,
        models.Interpretation,
        models.GazetteIssue,
        models.GazetteEntry,
        models.Topic,
        models.Genre,
        Organisation,
        OrganisationName,
    )
    for model in shown:
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed, sender=model, dispatch_uid=f"publishing.pages.{model.__name__}"
            )
    m2m_changed.connect(
        pages_changed,
        sender=models.Interpretation.policies.through,
        dispatch_uid="publishing.pages.policies",
    )
