"""The search index: one ``Entry`` per public item of every registered source.

An entry holds the item's title and text *with personal data masked* (``core.privacy``): the
snippets are cut from it and the tokens are made from it, so no personal data is ever indexed.
The full-text index itself is database-specific (``backends.py``): an FTS5 table over
``title_tokens`` / ``body_tokens`` on SQLite, a generated ``tsvector`` column with a GIN index
on PostgreSQL; migration 0001 creates it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation


class Entry(models.Model):
    source = models.CharField(_("来源"), max_length=40)
    key = models.CharField(_("来源编号"), max_length=64)
    url = models.CharField(_("链接"), max_length=300)
    title = models.CharField(_("标题"), max_length=500)
    body = models.TextField(_("正文"), blank=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("发布机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="search_entry_source_key"),
        ]

    def __str__(self) -> str:
        return self.title


class IndexState(models.Model):
    """The one row recording the last full rebuild (``pk=1``)."""

    rebuilt_at = models.DateTimeField(_("上次重建"), null=True, blank=True)
    fingerprint = models.CharField(_("词典指纹"), max_length=32, blank=True)
    entries = models.PositiveIntegerField(_("条目数"), default=0)

    class Meta:
        verbose_name = _("索引状态")
        verbose_name_plural = _("索引状态")

    def __str__(self) -> str:
        return f"{self.entries} @ {self.rebuilt_at}"
