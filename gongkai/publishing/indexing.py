"""Government information as a source of the site search (registered in
``PublishingConfig.ready``).

The index holds exactly the documents ``library.public_documents`` lists (withdrawn ones leave
it), with the text of their latest published version: title; then 文号, 主题词, 内容概述 and
the body as plain text. It follows every save of a document or of a published version, so
publishing, publishing a revision and withdrawing update it in the same transaction.
"""

from collections.abc import Collection, Iterator

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.search.registry import IndexItem, Source

from .body import parse_body
from .library import public_documents
from .models import Document, DocumentVersion

SOURCE_KEY = "document"
CHUNK = 1000


def fetch(keys: Collection[str] | None) -> Iterator[IndexItem]:
    documents = public_documents().select_related(None).select_related("genre")
    if keys is not None:
        pks = [int(key) for key in keys if key.isdigit()]
        documents = documents.filter(pk__in=pks)
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-version")
    documents = documents.annotate(public_body=Subquery(latest.values("body")[:1]))
    oldest_first = documents.order_by(F("published_at").asc(nulls_first=True), "pk")
    for document in oldest_first.iterator(chunk_size=CHUNK):
        if document.public_version is None:
            continue  # no published version (yet): no public page either
        text = [
            document.public_doc_no,
            document.keywords,
            document.public_summary,
            parse_body(document.public_body or "").text,
        ]
        yield IndexItem(
            key=str(document.pk),
            url=reverse("publishing:detail", args=[document.index_no]),
            title=document.public_title,
            body="\n".join(part for part in text if part),
            published_at=document.published_at,
            organisation_id=document.organisation_id,
            category=document.genre.name,
        )


def count() -> int:
    return public_documents().count()


SOURCE = Source(
    key=SOURCE_KEY,
    label=_("政府信息"),
    fetch=fetch,
    watch={
        Document: lambda document: [str(document.pk)],
        DocumentVersion: lambda version: [str(version.document_id)],  # type: ignore[attr-defined]
    },
    count=count,
)
