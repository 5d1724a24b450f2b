"""Automatic pre-publication checks: run when a document is submitted, shown to the reviewer.

Each registered check looks at the document and returns a ``CheckOutcome`` (passed or not, with
a Chinese message), or ``None`` when it does not apply. ``services.document_submit`` stores one
``CheckResult`` per applicable check for the document's current version (replacing those of an
earlier submission of the same version); ``services.document_approve`` refuses an approval
unless every failing one has an override reason.

Another app adds a check with this one call, in its ``AppConfig.ready()``; nothing else is
needed (results, labels, the override rule and the audit follow from the registry)::

    from gongkai.publishing.checks import CheckOutcome, register_check

    def personal_data(document: Document) -> CheckOutcome | None:
        found = ...  # read document.title, .summary, .body (sanitised HTML) …; never write
        return CheckOutcome(passed=not found, message=...)

    register_check("personal_data", _("个人信息"), personal_data)

Checks run in registration order (the built-ins first: they are registered when this module is
imported). A check's ``code`` is stored with its results: keep it stable.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.http.request import validate_host
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.privacy import KIND_LABELS, Finding, Kind, scan
from gongkai.orgs.models import OrganisationAlias, OrganisationName
from gongkai.orgs.selectors import MatchKind, org_resolve

from .body import parse_body
from .models import Document, ReviewTerm, ReviewTermKind, Status
from .permissions import is_public
from .workflow import disclosure_error

DOCUMENT_PAGE = "publishing:detail"
"""The URL name of a document's public page; it takes the document's ``index_no``."""

_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    message: str = ""


CheckFn = Callable[[Document], CheckOutcome | None]


@dataclass(frozen=True)
class Check:
    code: str
    label: str | Promise
    run: CheckFn


_checks: dict[str, Check] = {}


def register_check(code: str, label: str | Promise, run: CheckFn) -> None:
    """Add a check. Registering the same check again is a no-op; another one under a code
    already taken is a configuration error."""
    if not _CODE.fullmatch(code):
        raise ImproperlyConfigured(f"Check code {code!r}: lower-case letters, digits, _; ≤ 40.")
    check = Check(code=code, label=label, run=run)
    existing = _checks.get(code)
    if existing is not None and existing != check:
        raise ImproperlyConfigured(f"Check {code!r} is already registered differently.")
    _checks[code] = check


def registered_checks() -> tuple[Check, ...]:
    return tuple(_checks.values())


def check_label(code: str) -> str:
    """The label of a registered check; the code itself for a check no longer registered."""
    check = _checks.get(code)
    return str(check.label) if check is not None else code


def run_checks(document: Document) -> list[tuple[Check, CheckOutcome]]:
    """Every applicable check's outcome for ``document``, in registration order."""
    results = []
    for check in _checks.values():
        outcome = check.run(document)
        if outcome is not None:
            results.append((check, outcome))
    return results


# The built-in checks.


def legal_basis_check(document: Document) -> CheckOutcome:
    """The attribute rule (services already refuse to save a document that breaks it)."""
    error = disclosure_error(
        disclosure=document.disclosure,
        legal_basis=document.legal_basis,
        reason=document.disclosure_reason,
    )
    return CheckOutcome(passed=False, message=error.message) if error else CheckOutcome(True)


def interpretation_check(document: Document) -> CheckOutcome | None:
    """A 规范性文件 needs a linked interpretation (its publication is enforced at publishing)."""
    if not document.genre.is_normative:
        return None
    if document.interpretation_exempt_reason.strip():
        return CheckOutcome(
            True,
            gettext("已记录免于同步解读的理由：%(reason)s")
            % {"reason": document.interpretation_exempt_reason.strip()},
        )
    if document.interpretations.exclude(document__status=Status.WITHDRAWN).exists():
        return CheckOutcome(True)
    return CheckOutcome(
        False,
        gettext(
            "规范性文件尚未关联政策解读：发布时须同步发布解读，或由审核人记录免于同步解读的理由。"
        ),
    )


def terms_check(document: Document) -> CheckOutcome:
    """Review terms (``ReviewTerm``) anywhere in the text; former organisation names in the
    title and summary."""
    text = "".join([document.title, document.summary, *parse_body(document.body).texts])
    findings = [_term_finding(term) for term in ReviewTerm.objects.all() if term.term in text]
    findings += _former_names(document)
    return CheckOutcome(passed=not findings, message="；".join(findings))


def links_check(document: Document) -> CheckOutcome:
    """Internal links (a path, or a URL on the site's own host) in the body must lead to a
    page of the site, and a link to a document's page to a public document."""
    problems = [
        problem
        for link in parse_body(document.body).links
        if (problem := _link_problem(link)) is not None
    ]
    return CheckOutcome(passed=not problems, message="；".join(problems))


PERSONAL_DATA_CHECK = "personal_data"
"""The code of the personal-information check (``services.document_mask_personal_data`` runs
it again after masking)."""


@dataclass(frozen=True)
class PersonalFinding:
    """A piece of personal information in a document, as reviewers see it: never the value
    itself, only its masked form and the text around it, masked too."""

    kind: Kind
    where: str  # 标题, 内容概述 or 正文
    masked: str
    context: str  # the masked text around it, "…" where cut

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def describe(self) -> str:
        """``手机号码 138****8000（“…联系电话138****8000…”）``."""
        return gettext("%(kind)s %(masked)s（“%(context)s”）") % {
            "kind": self.label,
            "masked": self.masked,
            "context": self.context,
        }


PERSONAL_DATA_CONTEXT = 10
"""How many characters of text around a finding ``PersonalFinding.context`` shows each side."""
PERSONAL_DATA_LISTED = 20
"""How many findings the ``personal_data`` check's message lists (it counts them all)."""


def personal_data_findings(document: Document) -> list[PersonalFinding]:
    """The personal information (``core.privacy.scan``) in the title, the summary and each text
    node of the body, in that order."""
    parts = [(gettext("标题"), document.title), (gettext("内容概述"), document.summary)]
    parts += [(gettext("正文"), text) for text in parse_body(document.body).texts]
    return [found for where, text in parts for found in _personal_in(text, where=where)]


def personal_data_check(document: Document) -> CheckOutcome:
    """Personal information (ID card, phone and bank card numbers, e-mail addresses, plates,
    names, addresses) in the title, summary or body; the message shows masked values only."""
    findings = personal_data_findings(document)
    if not findings:
        return CheckOutcome(True)
    listed = "；".join(found.describe() for found in findings[:PERSONAL_DATA_LISTED])
    message = gettext("发现 %(count)d 处个人信息：%(findings)s") % {
        "count": len(findings),
        "findings": listed,
    }
    if len(findings) > PERSONAL_DATA_LISTED:
        message += gettext("；等")
    return CheckOutcome(False, message + gettext("。请遮盖，或确属应当公开的信息时填写放行理由。"))


def _personal_in(text: str, *, where: str) -> list[PersonalFinding]:
    """The findings of one piece of text, each with its context taken from the text with every
    finding masked (a neighbouring value is never shown either)."""
    findings: list[Finding] = scan(text)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = length = 0
    for found in findings:
        before = text[position : found.start]
        parts += [before, found.masked]
        start = length + len(before)
        length = start + len(found.masked)
        spans.append((start, length))
        position = found.end
    parts.append(text[position:])
    masked = "".join(parts)
    reach = PERSONAL_DATA_CONTEXT
    return [
        PersonalFinding(
            kind=found.kind,
            where=where,
            masked=found.masked,
            context=(
                ("…" if start > reach else "")
                + _one_line(masked[max(0, start - reach) : end + reach])
                + ("…" if end + reach < len(masked) else "")
            ),
        )
        for found, (start, end) in zip(findings, spans, strict=True)
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _term_finding(term: ReviewTerm) -> str:
    if term.kind == ReviewTermKind.WRONG:
        return gettext("“%(term)s”应为“%(suggestion)s”") % {
            "term": term.term,
            "suggestion": term.suggestion,
        }
    return gettext("含敏感词“%(term)s”，请核实") % {"term": term.term}


def _former_names(document: Document) -> list[str]:
    """Organisation names in the title or summary that were no longer in use (for the
    organisation they name) on the day the document was written."""
    names = {
        name
        for pair in OrganisationName.objects.values_list("name", "short_name")
        for name in pair
        if name
    } | set(OrganisationAlias.objects.values_list("alias", flat=True))
    if not names:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    day = document.written_on
    findings = []
    for name in dict.fromkeys(pattern.findall(f"{document.title}\n{document.summary}")):
        resolution = org_resolve(name, on=day, context_org=document.organisation)
        match, current = resolution.match, resolution.organisation
        if match is None or current is None or not resolution.is_historical:
            continue
        if match.organisation == current and match.valid_on(day):
            continue  # the name in use on the day the document was written
        new = current.name if match.kind == MatchKind.NAME else current.display_name
        findings.append(gettext("“%(old)s”是机构旧称，现为“%(new)s”") % {"old": name, "new": new})
    return findings


def _link_problem(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    if parts.netloc:
        allowed = [host for host in settings.ALLOWED_HOSTS if host != "*"]
        if not validate_host(parts.hostname or "", allowed):
            return None
    elif not parts.path.startswith("/"):
        return None
    path = unquote(parts.path) or "/"
    broken = gettext("链接“%(url)s”在本网站不存在") % {"url": url}
    media = settings.MEDIA_URL
    if path.startswith(media):
        return None if default_storage.exists(path.removeprefix(media)) else broken
    try:
        match = resolve(path)
    except Resolver404:
        return broken
    if match.view_name == DOCUMENT_PAGE:
        target = Document.objects.filter(index_no=match.kwargs["index_no"]).first()
        if target is None or not is_public(target):
            return gettext("链接“%(url)s”指向未公开的政府信息") % {"url": url}
    return None


register_check("legal_basis", _("公开属性依据"), legal_basis_check)
register_check("interpretation", _("政策解读"), interpretation_check)
register_check("terms", _("敏感词和易错词"), terms_check)
register_check("links", _("内部链接"), links_check)
register_check(PERSONAL_DATA_CHECK, _("个人信息"), personal_data_check)
