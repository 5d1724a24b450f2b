"""Every write to the organisation tree. Each service is one transaction and one audit event."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from django.db import transaction

from gongkai.core.audit import Actor, audit_record, diff_fields, field_values

from .errors import OrgError, OrgErrorCode
from .models import Organisation, OrganisationAlias, OrganisationName
from .names import normalise_name
from .reference import reference_data
from .signals import organisations_merged

_UPDATABLE = ("parent", "level", "kind", "sort_order")
_CREATED = ("code", "name", "short_name", *_UPDATABLE, "established_on")


@transaction.atomic
def org_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    short_name: str = "",
    level: str,
    kind: str,
    parent: Organisation | None = None,
    sort_order: int = 0,
    established_on: date | None = None,
    aliases: Iterable[str] = (),
) -> Organisation:
    """Create an organisation with its first name (in use since ``established_on``)."""
    organisation = Organisation(
        code=code,
        name=name,
        short_name=short_name,
        level=level,
        kind=kind,
        parent=parent,
        sort_order=sort_order,
        established_on=established_on,
    )
    organisation.full_clean()
    organisation.save()
    _save(
        OrganisationName(
            organisation=organisation, name=name, short_name=short_name, valid_from=established_on
        )
    )
    added = [_add_alias(organisation, alias).alias for alias in aliases]
    audit_record(
        actor=actor,
        action="orgs.organisation.create",
        target=organisation,
        summary=f"新建机构：{organisation.name}（{organisation.code}）",
        changes=diff_fields({}, field_values(organisation, _CREATED) | {"aliases": added}),
    )
    return organisation


@transaction.atomic
def org_update(
    *,
    actor: Actor,
    organisation: Organisation,
    parent: Organisation | None,
    level: str,
    kind: str,
    sort_order: int,
) -> Organisation:
    """Change where an organisation sits and what it is. Names change through ``org_rename``."""
    before = field_values(organisation, _UPDATABLE)
    organisation.parent, organisation.level, organisation.kind = parent, level, kind
    organisation.sort_order = sort_order
    changes = diff_fields(before, field_values(organisation, _UPDATABLE))
    if not changes:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action="orgs.organisation.update",
        target=organisation,
        summary=f"修改机构信息：{organisation.name}",
        changes=changes,
    )
    return organisation


def org_rename_check(
    *, organisation: Organisation, name: str, short_name: str, effective_on: date, notice: str
) -> None:
    """Raise ``OrgError`` unless ``org_rename`` would accept these values."""
    if not organisation.is_active:
        raise OrgError(OrgErrorCode.INACTIVE, name=organisation.name)
    if not notice.strip():
        raise OrgError(OrgErrorCode.NOTICE_REQUIRED)
    if (name, short_name) == (organisation.name, organisation.short_name):
        raise OrgError(OrgErrorCode.NOTHING_TO_RENAME, name=organisation.name)
    current = organisation.names.filter(valid_to__isnull=True).first()
    since = current.valid_from if current else organisation.established_on
    if since is not None and effective_on <= since:
        raise OrgError(
            OrgErrorCode.RENAME_TOO_EARLY, date=effective_on, name=organisation.name, since=since
        )


@transaction.atomic
def org_rename(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    short_name: str,
    effective_on: date,
    notice: str,
) -> Organisation:
    """Give an organisation a new name from ``effective_on``; the old one stays in its history."""
    org_rename_check(
        organisation=organisation,
        name=name,
        short_name=short_name,
        effective_on=effective_on,
        notice=notice,
    )
    current = _current_name(organisation)
    current.valid_to = effective_on
    _save(current)
    _save(
        OrganisationName(
            organisation=organisation,
            name=name,
            short_name=short_name,
            valid_from=effective_on,
            notice=notice.strip(),
        )
    )
    before = {"name": organisation.name, "short_name": organisation.short_name}
    organisation.name, organisation.short_name = name, short_name
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action="orgs.organisation.rename",
        target=organisation,
        summary=f"机构更名：{before['name']} → {name}（{effective_on.isoformat()}起）",
        changes=diff_fields(
            before,
            {
                "name": name,
                "short_name": short_name,
                "effective_on": effective_on,
                "notice": notice.strip(),
            },
        ),
    )
    return organisation


@transaction.atomic
def org_merge(
    *,
    actor: Actor,
    sources: Sequence[Organisation],
    into: Organisation,
    effective_on: date,
    notice: str,
) -> Organisation:
    """Merge ``sources`` into ``into`` on ``effective_on``.

    Each source is kept, inactive, with ``into`` as its successor; its current name is closed
    on that day, so that its names still resolve (to ``into``) and its history stays readable.
    Sends ``signals.organisations_merged`` inside the transaction once all that is written, so
    that what receivers write (e.g. staff moved to ``into``) commits or rolls back with it.
    """
    if not sources:
        raise OrgError(OrgErrorCode.MERGE_NO_SOURCES)
    if not notice.strip():
        raise OrgError(OrgErrorCode.NOTICE_REQUIRED)
    for org in (into, *sources):
        if not org.is_active:
            raise OrgError(OrgErrorCode.INACTIVE, name=org.name)
        if org.established_on is not None and effective_on < org.established_on:
            raise OrgError(
                OrgErrorCode.MERGE_TOO_EARLY,
                date=effective_on,
                name=org.name,
                since=org.established_on,
            )
    if into in sources:
        raise OrgError(OrgErrorCode.MERGE_INTO_SOURCE, name=into.name)
    for source in sources:
        children = list(source.children.filter(is_active=True).values_list("name", flat=True))
        if children:
            raise OrgError(
                OrgErrorCode.HAS_ACTIVE_CHILDREN, name=source.name, children="、".join(children)
            )
        current = _current_name(source)
        if current.valid_from is not None and effective_on <= current.valid_from:
            raise OrgError(
                OrgErrorCode.MERGE_TOO_EARLY,
                date=effective_on,
                name=source.name,
                since=current.valid_from,
            )
        current.valid_to = effective_on
        _save(current)
        source.is_active = False
        source.successor = into
        source.dissolved_on = effective_on
        source.dissolution_notice = notice.strip()
        source.full_clean()
        source.save()
    audit_record(
        actor=actor,
        action="orgs.organisation.merge",
        target=into,
        summary=f"机构撤并：{'、'.join(s.name for s in sources)} 并入 {into.name}",
        changes=diff_fields(
            {},
            {
                "sources": [source.code for source in sources],
                "effective_on": effective_on,
                "notice": notice.strip(),
            },
        ),
    )
    organisations_merged.send(
        sender=Organisation,
        sources=tuple(sources),
        into=into,
        effective_on=effective_on,
        actor=actor,
    )
    return into


@transaction.atomic
def org_alias_add(*, actor: Actor, organisation: Organisation, alias: str) -> OrganisationAlias:
    added = _add_alias(organisation, alias)
    audit_record(
        actor=actor,
        action="orgs.organisation.alias_add",
        target=organisation,
        summary=f"添加别名：{organisation.name} 又称 {added.alias}",
        changes={"alias": [None, added.alias]},
    )
    return added


@transaction.atomic
def org_alias_remove(*, actor: Actor, organisation: Organisation, alias: str) -> None:
    existing = organisation.aliases.filter(key=normalise_name(alias)).first()
    if existing is None:
        raise OrgError(OrgErrorCode.ALIAS_NOT_FOUND, name=organisation.name, alias=alias)
    existing.delete()
    audit_record(
        actor=actor,
        action="orgs.organisation.alias_remove",
        target=organisation,
        summary=f"删除别名：{organisation.name} 不再称 {existing.alias}",
        changes={"alias": [existing.alias, None]},
    )


@transaction.atomic
def org_load_reference_data(*, actor: Actor = None) -> int:
    """Bring the database up to the reference data file; returns the number of changes made.

    Creates the organisations that are missing (with their aliases) and records the renames
    and merges that are not recorded yet, each through the service above (and so audited). It
    never changes or removes what is already there, so running it again changes nothing and
    edits made by administrators are kept.
    """
    data = reference_data()
    by_code = {org.code: org for org in Organisation.objects.all()}
    changes = 0
    for spec in data.organisations:
        org = by_code.get(spec.code)
        if org is None:
            org = by_code[spec.code] = org_create(
                actor=actor,
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                kind=spec.kind,
                parent=by_code[spec.parent_code] if spec.parent_code else None,
                sort_order=spec.sort_order,
                established_on=spec.established_on,
                aliases=spec.aliases,
            )
            changes += 1
        for rename in spec.renames:
            if not org.names.filter(name=rename.name, valid_from=rename.effective_on).exists():
                org_rename(
                    actor=actor,
                    organisation=org,
                    name=rename.name,
                    short_name=rename.short_name,
                    effective_on=rename.effective_on,
                    notice=rename.notice,
                )
                changes += 1
    for merge in data.merges:
        into = by_code[merge.into]
        pending = [by_code[code] for code in merge.sources if by_code[code].successor_id != into.pk]
        if pending:
            org_merge(
                actor=actor,
                sources=pending,
                into=into,
                effective_on=merge.effective_on,
                notice=merge.notice,
            )
            changes += 1
    return changes


def _current_name(organisation: Organisation) -> OrganisationName:
    """The open name row; recorded first for an organisation created outside these services."""
    current = organisation.names.filter(valid_to__isnull=True).first()
    if current is None:
        current = _save(
            OrganisationName(
                organisation=organisation,
                name=organisation.name,
                short_name=organisation.short_name,
                valid_from=organisation.established_on,
            )
        )
    return current


def _add_alias(organisation: Organisation, alias: str) -> OrganisationAlias:
    if organisation.aliases.filter(key=normalise_name(alias)).exists():
        raise OrgError(OrgErrorCode.ALIAS_TAKEN, name=organisation.name, alias=alias)
    return _save(OrganisationAlias(organisation=organisation, alias=alias.strip()))


_Row = TypeVar("_Row", OrganisationName, OrganisationAlias)


def _save(row: _Row) -> _Row:
    row.full_clean()
    row.save()
    return row
