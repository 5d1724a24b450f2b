from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "gongkai.publishing"
    label = "publishing"
    verbose_name = _("政府信息公开")

    def ready(self) -> None:
        from gongkai.portal.navigation import register_nav_item
        from gongkai.portal.workbench import register_todo_provider

        from .todos import publication_todos

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
