"""The reference data file: a city's organisations, their history and its collective references.

The file (``data/beijing.yaml`` unless ``settings.GONGKAI_ORGS_REFERENCE_DATA`` names another)
has three lists; see the comments at its top for the fields and the code scheme.

* ``organisations``: a tree (``children``) of organisations under their first known name, with
  later names in ``renamed``;
* ``merges``: organisations merged into a successor on a date;
* ``collectives``: collective references such as 各区政府 or 市政府相关部门, as rules over the
  tree (``scope_level``, ``level``, ``kinds``) or an explicit ``members`` list.

This module only reads and checks the file; ``services.org_load_reference_data`` writes it to
the database and ``selectors.org_resolve`` uses the collective references.
"""

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import OrgError, OrgErrorCode
from .models import CODE_PATTERN, Kind, Level
from .names import normalise_name

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "beijing.yaml"


@dataclass(frozen=True)
class RenameSpec:
    effective_on: date
    name: str
    short_name: str
    notice: str


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str  # the first name we know
    short_name: str
    established_on: date | None  # None: before our records
    level: str
    kind: str
    parent_code: str | None
    sort_order: int
    aliases: tuple[str, ...]
    renames: tuple[RenameSpec, ...]  # later names, in order


@dataclass(frozen=True)
class MergeSpec:
    into: str
    sources: tuple[str, ...]
    effective_on: date
    notice: str


@dataclass(frozen=True)
class CollectiveSpec:
    """A collective reference. Members are ``members`` if listed, else every organisation of
    ``level`` and ``kinds`` within the government of ``scope_level`` that contains the context
    organisation (the whole city when there is no such context)."""

    name: str
    aliases: tuple[str, ...]
    scope_level: str
    level: str
    kinds: frozenset[str]
    members: tuple[str, ...]
    needs_choice: bool
    note: str

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(normalise_name(text) for text in (self.name, *self.aliases))


@dataclass(frozen=True)
class ReferenceData:
    organisations: tuple[OrgSpec, ...]  # parents before their children
    merges: tuple[MergeSpec, ...]
    collectives: tuple[CollectiveSpec, ...]


def reference_data() -> ReferenceData:
    return _load(str(getattr(settings, "GONGKAI_ORGS_REFERENCE_DATA", DEFAULT_FILE)))


@functools.cache
def _load(path: str) -> ReferenceData:
    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.safe_load(stream)
    except (OSError, yaml.YAMLError) as error:
        raise OrgError(OrgErrorCode.BAD_REFERENCE_DATA, path=path, problem=str(error)) from error
    try:
        data = _Reader(document).read()
    except _Problem as problem:
        raise OrgError(OrgErrorCode.BAD_REFERENCE_DATA, path=path, problem=str(problem)) from None
    return data


class _Problem(Exception):
    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params)


class _Reader:
    def __init__(self, document: object) -> None:
        self.document = _mapping(
            document, _("文件顶层"), {"notices", "organisations", "merges", "collectives"}
        )

    def read(self) -> ReferenceData:
        organisations = tuple(
            self._organisations(_list(self.document.get("organisations"), "organisations"))
        )
        codes = [spec.code for spec in organisations]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise _Problem(_("机构代码重复：%(codes)s"), codes="、".join(repeated))
        known = set(codes)
        merges = tuple(
            self._merge(entry, known) for entry in _list(self.document.get("merges"), "merges")
        )
        collectives = tuple(
            self._collective(entry, known)
            for entry in _list(self.document.get("collectives"), "collectives")
        )
        return ReferenceData(organisations, merges, collectives)

    def _organisations(
        self, entries: Sequence[object], parent: OrgSpec | None = None
    ) -> Iterator[OrgSpec]:
        for index, entry in enumerate(entries):
            fields = _mapping(
                entry,
                _("%(parent)s 下第 %(n)d 个机构")
                % {"parent": parent.code if parent else _("顶层"), "n": index + 1},
                {"code", "name", "short_name", "level", "kind", "established_on"}
                | {"aliases", "renamed", "children"},
            )
            code = _text(fields, "code", _("机构"))
            if not CODE_PATTERN.fullmatch(code):
                raise _Problem(_("机构代码“%(code)s”格式不对"), code=code)
            where = _("机构 %(code)s") % {"code": code}
            level = fields.get("level", parent.level if parent else None)
            kind = fields.get("kind")
            if level not in Level.values or kind not in Kind.values:
                raise _Problem(_("%(where)s 的 level 或 kind 无效"), where=where)
            spec = OrgSpec(
                code=code,
                name=_text(fields, "name", where),
                short_name=_text(fields, "short_name", where, required=False),
                established_on=(
                    _date(fields, "established_on", where) if "established_on" in fields else None
                ),
                level=str(level),
                kind=str(kind),
                parent_code=parent.code if parent else None,
                sort_order=(index + 1) * 10,
                aliases=_texts(fields.get("aliases"), f"{where} aliases"),
                renames=tuple(
                    self._rename(step, where)
                    for step in _list(fields.get("renamed"), f"{where} renamed")
                ),
            )
            yield spec
            yield from self._organisations(_list(fields.get("children"), f"{where} children"), spec)

    def _rename(self, entry: object, where: str) -> RenameSpec:
        fields = _mapping(
            entry, f"{where} renamed", {"effective_on", "name", "short_name", "notice"}
        )
        return RenameSpec(
            effective_on=_date(fields, "effective_on", where),
            name=_text(fields, "name", where),
            short_name=_text(fields, "short_name", where, required=False),
            notice=_text(fields, "notice", where),
        )

    def _merge(self, entry: object, known: set[str]) -> MergeSpec:
        fields = _mapping(entry, "merges", {"into", "sources", "effective_on", "notice"})
        into = _text(fields, "into", "merges")
        where = _("并入 %(code)s 的合并记录") % {"code": into}
        merge = MergeSpec(
            into=into,
            sources=_texts(fields.get("sources"), f"{where} sources"),
            effective_on=_date(fields, "effective_on", where),
            notice=_text(fields, "notice", where),
        )
        _check_known((merge.into, *merge.sources), known, where)
        return merge

    def _collective(self, entry: object, known: set[str]) -> CollectiveSpec:
        fields = _mapping(
            entry,
            "collectives",
            {"name", "aliases", "scope_level", "level", "kinds", "members", "needs_choice"}
            | {"note"},
        )
        name = _text(fields, "name", "collectives")
        where = _("集合称谓“%(name)s”") % {"name": name}
        kinds = frozenset(_texts(fields.get("kinds"), f"{where} kinds"))
        scope_level, level = fields.get("scope_level"), fields.get("level")
        if scope_level not in Level.values or level not in Level.values or kinds - set(Kind):
            raise _Problem(_("%(where)s 的 scope_level、level 或 kinds 无效"), where=where)
        if not isinstance(fields.get("needs_choice", False), bool):
            raise _Problem(_("%(where)s 的 needs_choice 应为 true 或 false"), where=where)
        collective = CollectiveSpec(
            name=name,
            aliases=_texts(fields.get("aliases"), f"{where} aliases"),
            scope_level=str(scope_level),
            level=str(level),
            kinds=kinds,
            members=_texts(fields.get("members"), f"{where} members"),
            needs_choice=bool(fields.get("needs_choice", False)),
            note=_text(fields, "note", where, required=False),
        )
        _check_known(collective.members, known, where)
        return collective


def _mapping(value: object, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(_("%(where)s 应为映射（键: 值）"), where=where)
    unknown = sorted(map(str, set(value) - allowed))
    if unknown:
        raise _Problem(_("%(where)s 含有未知字段：%(keys)s"), where=where, keys="、".join(unknown))
    return value


def _list(value: object, where: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Problem(_("%(where)s 应为列表"), where=where)
    return value


def _text(fields: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = fields.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Problem(
            _("%(where)s 的 %(key)s 应为非空文字（纯数字的代码请加引号）"), where=where, key=key
        )
    return value.strip()


def _texts(value: object, where: str) -> tuple[str, ...]:
    items = _list(value, where)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise _Problem(_("%(where)s 应为文字列表"), where=where)
    return tuple(str(item).strip() for item in items)


def _date(fields: Mapping[str, Any], key: str, where: str) -> date:
    value = fields.get(key)
    if not isinstance(value, date):
        raise _Problem(_("%(where)s 的 %(key)s 应为 YYYY-MM-DD 格式的日期"), where=where, key=key)
    return value


def _check_known(codes: Sequence[str], known: set[str], where: str) -> None:
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise _Problem(
            _("%(where)s 引用了不存在的机构代码：%(codes)s"), where=where, codes="、".join(unknown)
        )
