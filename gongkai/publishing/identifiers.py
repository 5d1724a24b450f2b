"""索引号 (index number) and 发文字号 (document number).

发文字号 follows 《党政机关公文处理工作条例》 art. 9 and GB/T 9704-2012 §7.2.5: the issuing
organ's code, the 4-digit year in 六角括号 〔〕, the sequence number without 第 or leading zeros,
and 号 — ``京政办发〔2018〕16号``. Input with the common wrong brackets
([] ［］ （） () 【】 〈〉 ﹝﹞) is accepted and normalised.

The 索引号 has no national format (regulatory-facts §8.2); its template is the setting
``GONGKAI_INDEX_NO_TEMPLATE`` (default ``{org_code}/{YYYY}-{seq:05d}``). Archived documents keep
the 索引号 they were given (``check_index_no``); one written with the template is read back by
``parse_index_no`` so that the sequence moves past it.
"""

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from .errors import PublishingError, PublishingErrorCode

_OPEN = "〔[［（(【〈﹝"
_CLOSE = "〕]］）)】〉﹞"
_DOC_NO = re.compile(
    rf"^(?P<code>[\u4e00-\u9fa5A-Za-z]+)[{re.escape(_OPEN)}](?P<year>\d{{4}})[{re.escape(_CLOSE)}]"
    r"第?0*(?P<seq>[1-9]\d*)号$"
)


@dataclass(frozen=True)
class DocNo:
    code: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.seq}号"


def parse_doc_no(value: str) -> DocNo:
    """Parse a 发文字号, tolerating full-width digits, spaces and the usual wrong brackets."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    # NFKC turns full-width brackets into ASCII ones; 〔〕 and 【】 stay as they are.
    match = _DOC_NO.match(text)
    if match is None:
        raise PublishingError(PublishingErrorCode.BAD_DOC_NO, value=value)
    return DocNo(match["code"], int(match["year"]), int(match["seq"]))


def normalise_doc_no(value: str) -> str:
    """The canonical form (``京政办发〔2018〕16号``); empty input stays empty."""
    return str(parse_doc_no(value)) if value.strip() else ""


def format_index_no(*, org_code: str, year: int, seq: int) -> str:
    """Fill the configured 索引号 template."""
    template: str = settings.GONGKAI_INDEX_NO_TEMPLATE
    return template.format(org_code=org_code, YYYY=year, seq=seq)


INDEX_NO_MAX_LENGTH = 64
# Part of the document's URL (``/xxgk/zc/<索引号>/``): path segments of URL-safe characters.
_INDEX_NO = re.compile(r"[0-9A-Za-z_-]+(?:/[0-9A-Za-z_-]+)*")


def check_index_no(value: str) -> str:
    """An archived document's 索引号, stripped; ``BAD_INDEX_NO`` unless it is ASCII letters,
    digits, ``-`` and ``_`` in segments separated by single ``/``."""
    text = value.strip()
    if len(text) > INDEX_NO_MAX_LENGTH or not _INDEX_NO.fullmatch(text):
        raise PublishingError(
            PublishingErrorCode.BAD_INDEX_NO, value=value, limit=INDEX_NO_MAX_LENGTH
        )
    return text


@dataclass(frozen=True)
class IndexNo:
    org_code: str
    year: int
    seq: int


_TEMPLATE_FIELDS = {
    "org_code": r"(?P<org_code>.+?)",
    "YYYY": r"(?P<YYYY>\d{4})",
    "seq": r"(?P<seq>\d+)",
}


@cache
def _template_pattern(template: str) -> re.Pattern[str] | None:
    """A regular expression reading ``template``'s fields back; None when the template lacks
    one of them or uses one twice."""
    parts, seen = [], set()
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name not in _TEMPLATE_FIELDS or name in seen:
            return None
        seen.add(name)
        parts.append(_TEMPLATE_FIELDS[name])
    return re.compile("".join(parts)) if seen == set(_TEMPLATE_FIELDS) else None


def parse_index_no(value: str) -> IndexNo | None:
    """The organisation code, year and sequence number of a 索引号 written with the configured
    template; None when it does not fit the template."""
    pattern = _template_pattern(settings.GONGKAI_INDEX_NO_TEMPLATE)
    match = pattern.fullmatch(value) if pattern is not None else None
    if match is None:
        return None
    return IndexNo(org_code=match["org_code"], year=int(match["YYYY"]), seq=int(match["seq"]))
