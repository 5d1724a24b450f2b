"""Letters (文书) of disclosure on request: the placeholders of their templates, the default
templates (``data/letters.yaml``), and rendering a filled-in letter to DOCX and to PDF.

A letter is laid out in the 告知书 form: title, number, addressee, body paragraphs, and the
organisation and date at the foot. Templates are ``str.format`` text with the named placeholders
of ``PLACEHOLDERS`` only; each line of the filled-in body is a paragraph, and empty ones are left
out (a line holding only ``{note}`` when there is no note). What each placeholder holds for an
application is decided in ``services.letter_issue``.

Enclosures of a reply (``mask_enclosure``) are stored with each paragraph's personal data masked
(``core.privacy.mask``); only plain text and DOCX can be masked, so only those are accepted.
"""

import io
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import yaml
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.privacy import mask, scan

from .errors import FoiError, FoiErrorCode

DATA = Path(__file__).resolve().parent / "data" / "letters.yaml"
PDF_TEMPLATE = "foi/letters/letter.html"
ENCLOSURE_TYPES = (".txt", ".docx")

PLACEHOLDERS: Mapping[str, Promise] = {
    "applicant": _("申请人姓名或名称"),
    "receipt_no": _("申请编号"),
    "received_on": _("收到申请之日"),
    "information": _("所需信息的名称或描述"),
    "delivery": _("获取信息的方式"),
    "organisation": _("受理机关"),
    "today": _("文书日期"),
    "due_on": _("答复期限"),
    "days": _("工作日数：补正期限或延长的期限"),
    "deadline": _("补正、缴费或第三方提出意见的截止日期"),
    "amount": _("信息处理费金额（元）"),
    "fee_detail": _("信息处理费的收费标准和计算过程"),
    "referred_to": _("负责公开的行政机关及其联系方式"),
    "third_party": _("被征求意见的第三方"),
    "note": _("办理说明：补正事项、延期理由、不予公开的具体理由等"),
}


def placeholder_help() -> str:
    """The placeholders and what each holds, for the admin."""
    return "；".join(f"{{{name}}} {label}" for name, label in PLACEHOLDERS.items())


def check_template(*texts: str) -> None:
    """Refuse (``FoiError``) text that is not a valid template: unpaired braces, or a
    placeholder that is not a plain ``{name}`` of ``PLACEHOLDERS`` (no format spec or
    conversion: every value is ready-made text)."""
    for text in texts:
        try:
            fields = [
                (name, conversion, spec)
                for _, name, spec, conversion in string.Formatter().parse(text)
                if name is not None
            ]
        except ValueError as error:
            raise FoiError(FoiErrorCode.TEMPLATE_SYNTAX, problem=str(error)) from error
        for name, conversion, spec in fields:
            if name not in PLACEHOLDERS or conversion or spec:
                written = (
                    name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                )
                raise FoiError(
                    FoiErrorCode.TEMPLATE_PLACEHOLDER, name=written, names="、".join(PLACEHOLDERS)
                )


def chinese_date(day: date | None) -> str:
    """``2025年9月16日``; empty for no date."""
    return (
        gettext("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
        if day
        else ""
    )


@dataclass(frozen=True)
class LetterContent:
    """A letter filled in and ready to lay out."""

    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    organisation: str
    dated: str

    @property
    def text(self) -> str:
        """The letter as plain text (stored with the letter, shown on screen)."""
        return "\n".join(
            [
                self.title,
                self.number,
                f"{self.addressee}：",
                *self.paragraphs,
                self.organisation,
                self.dated,
            ]
        )


def compose(
    *,
    title: str,
    addressee: str,
    body: str,
    values: Mapping[str, str],
    number: str,
    organisation: str,
    dated: date,
) -> LetterContent:
    """Fill a template in. ``values`` must hold every name of ``PLACEHOLDERS``."""
    check_template(title, addressee, body)
    lines = (line.strip() for line in body.format_map(values).splitlines())
    return LetterContent(
        title=title.format_map(values),
        number=number,
        addressee=addressee.format_map(values),
        paragraphs=tuple(line for line in lines if line),
        organisation=organisation,
        dated=chinese_date(dated),
    )


# ---- DOCX and PDF -----------------------------------------------------------------------------

_BODY_FONT = "仿宋"
_TITLE_FONT = "宋体"


def render_docx(content: LetterContent) -> bytes:
    """The letter as a Word document: A4, the margins and type sizes of official documents
    (GB/T 9704: title 二号, body 三号)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = _BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)

    def paragraph(
        text: str, *, align: Any = None, indent: bool = False, size: int = 0, bold: bool = False
    ) -> None:
        made = document.add_paragraph()
        made.alignment = align
        if indent:
            made.paragraph_format.first_line_indent = Pt(32)
        run = made.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
            run.font.name = _TITLE_FONT
            run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _TITLE_FONT)

    paragraph(content.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    paragraph(content.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(f"{content.addressee}：")
    for text in content.paragraphs:
        paragraph(text, indent=True)
    document.add_paragraph()
    paragraph(content.organisation, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(content.dated, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(content: LetterContent) -> bytes:
    """The letter as an A4 PDF (WeasyPrint; CJK fonts from Debian's fonts-noto-cjk)."""
    from weasyprint import HTML

    html = render_to_string(PDF_TEMPLATE, {"letter": content})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


# ---- Enclosures -------------------------------------------------------------------------------


def mask_enclosure(name: str, data: bytes) -> tuple[bytes, int]:
    """The file ``name`` with the personal data of each paragraph masked, and how many findings
    were masked. Plain text is read as UTF-8 (or GB18030) and written as UTF-8."""
    suffix = Path(name).suffix.lower()
    if suffix not in ENCLOSURE_TYPES:
        raise FoiError(FoiErrorCode.ENCLOSURE_TYPE, name=name)
    try:
        return _mask_text(data) if suffix == ".txt" else _mask_docx(data)
    except (ValueError, KeyError, OSError, SyntaxError, BadZipFile) as error:
        raise FoiError(FoiErrorCode.ENCLOSURE_UNREADABLE, name=name) from error


def _masked(text: str) -> tuple[str, int]:
    findings = scan(text)
    return (mask(text, findings), len(findings)) if findings else (text, 0)


def _mask_text(data: bytes) -> tuple[bytes, int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    lines, total = [], 0
    for line in text.splitlines(keepends=True):
        masked, found = _masked(line)
        lines.append(masked)
        total += found
    return "".join(lines).encode("utf-8"), total


def _mask_docx(data: bytes) -> tuple[bytes, int]:
    """Every paragraph of every part (body, tables, text boxes, headers, footers, notes): its
    text, which Word may split over several runs, is masked as a whole and put in its first
    run. Links to outside addresses (``mailto:``) are masked too, and the author fields
    emptied."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except PackageNotFoundError as error:
        raise ValueError("not a DOCX package") from error
    total = 0
    for part in document.part.package.iter_parts():
        root = getattr(part, "element", None)
        for paragraph in [] if root is None else list(root.iter(qn("w:p"))):
            texts = [
                t
                for t in paragraph.iter(qn("w:t"))
                if next(t.iterancestors(qn("w:p")), None) is paragraph
            ]
            masked, found = _masked("".join(t.text or "" for t in texts))
            if found:
                texts[0].text = masked
                texts[0].set(qn("xml:space"), "preserve")
                for t in texts[1:]:
                    t.text = ""
                total += found
        for relationship in part.rels.values():
            if relationship.is_external:
                masked, found = _masked(relationship.target_ref)
                if found:
                    relationship._target = masked  # python-docx has no setter for it
                    total += found
    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), total


# ---- The default templates --------------------------------------------------------------------


@cache
def default_templates() -> tuple[dict[str, str], ...]:
    """The templates of ``data/letters.yaml``: kind, outcome, title, addressee and the body
    (of a reply: composed of the common opening, its own text, the redress paragraph where the
    reply is adverse, and the closing)."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    common = data["common"]
    rows = []
    for entry in data["letters"]:
        body = entry["body"].strip()
        if entry["kind"] == "reply":
            redress = [common["redress"]] if entry["redress"] else []
            body = "\n".join([common["reply_opening"], body, *redress, common["closing"]])
        row = {
            "kind": entry["kind"],
            "outcome": entry.get("outcome", ""),
            "title": entry["title"],
            "addressee": entry.get("addressee", "{applicant}"),
            "body": body,
        }
        check_template(row["title"], row["addressee"], row["body"])
        rows.append(row)
    return tuple(rows)


def load_letter_templates(model: Any) -> int:
    """Add the missing default templates and bring those nobody edited up to date with
    ``data/letters.yaml``; returns how many rows changed. Takes the model class so that a
    migration can pass its historical model."""
    changed = 0
    for row in default_templates():
        text = {"title": row["title"], "addressee": row["addressee"], "body": row["body"]}
        template = model.objects.filter(kind=row["kind"], outcome=row["outcome"]).first()
        if template is None:
            model.objects.create(kind=row["kind"], outcome=row["outcome"], **text)
            changed += 1
        elif not template.edited and any(getattr(template, k) != v for k, v in text.items()):
            model.objects.filter(pk=template.pk).update(**text)
            changed += 1
    return changed
