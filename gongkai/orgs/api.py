"""JSON API of the organisation directory (mounted by the ``api`` app at ``/api/orgs/``)."""

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from .models import Level, Organisation
from .selectors import org_active, org_detail, org_resolve

router = Router(tags=["组织机构"])


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def resolve_parent_code(org: Organisation) -> str | None:
        return org.parent.code if org.parent else None


class ResolutionOut(Schema):
    text: str
    outcome: str
    organisations: list[OrganisationOut]
    historical: bool
    collective: str | None


@router.get("/", response=list[OrganisationOut], summary="存续机构列表")
def list_organisations(request: HttpRequest, level: Level | None = None) -> list[Organisation]:
    return list(org_active(level=level))


@router.get("/resolve", response=ResolutionOut, summary="机构名称解析")
def resolve(request: HttpRequest, name: str) -> dict[str, object]:
    """What a name written in a document (full, short, former or collective) refers to."""
    resolution = org_resolve(name)
    return {
        "text": resolution.text,
        "outcome": resolution.outcome.value,
        "organisations": list(resolution.organisations),
        "historical": resolution.is_historical,
        "collective": resolution.collective.name if resolution.collective else None,
    }


@router.get("/{code}", response=OrganisationOut, summary="机构详情")
def organisation(request: HttpRequest, code: str) -> Organisation:
    org = org_detail(code)
    if org is None:
        raise Http404
    return org
