from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("全站搜索")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gongkai.core.demo import register_demo_loader
        from gongkai.orgs.models import Organisation, OrganisationAlias, OrganisationName
        from gongkai.portal.navigation import register_nav_item
        from gongkai.portal.workbench import register_todo_provider

        from .demo import load_demo_index
        from .dictionary import dictionary_changed
        from .todos import index_todos

        # The dictionary holds every organisation's names and aliases.
        for model in (Organisation, OrganisationName, OrganisationAlias):
            for signal in (post_save, post_delete):
                signal.connect(
                    dictionary_changed,
                    sender=model,
                    dispatch_uid=f"search.dictionary.{model.__name__}",
                )
        register_nav_item(
            "search.results",
            _("全站搜索"),
            "search:results",
            15,
            description=_("在政府信息、政策解读等全部公开内容中检索。"),
        )
        register_nav_item(
            "search.index",
            _("搜索索引"),
            "search:index",
            990,
            audience="staff",
            permission="search.view_indexstate",
        )
        register_todo_provider("search.index", _("搜索索引"), index_todos)
        # After every source's demo data (publishing: 95): indexes whatever is not yet indexed.
        register_demo_loader("search", 200, load_demo_index)
