"""Finding and masking personal information in Chinese text.

``identify(text)`` lists every identifier it recognises (with offsets in characters),
``scan(text)`` only the personal ones, ``mask(text)`` replaces each personal one by its masked
form, and ``mask_contact(value)`` masks a login name (a whole mobile number or e-mail address).

The rules follow the facts file (``../shared/spec/regulatory-facts.md`` §9; [U] marks what it
gives as unverified knowledge):

- 身份证号 (§9.1, GB 11643-1999): 18 characters — 6-digit address code whose province prefix is
  valid, birth date ``YYYYMMDD`` (a real date from 1800 to today), 3-digit sequence and the
  ISO 7064 MOD 11-2 check character (``x`` accepted); or the 15-digit form of GB 11643-1989
  (``YYMMDD`` read as 19YY, no check digit). Prefix 83 (Taiwan residents' residence permits)
  is accepted beside the prefixes of §9.1.
- 手机号码 (§9.2): the loose pattern ``1[3-9]`` + 9 digits, optionally with a ``+86``/``86``/
  ``0086`` prefix and ``138 0013 8000`` / ``138-0013-8000`` grouping.
- 统一社会信用代码 (§9.3, GB 32100-2015): 18 characters of the 31-character set with a valid
  check character. It identifies an organisation and is not personal: ``identify`` reports it
  (so that the same digits are not taken for a bank card), ``scan`` and ``mask`` leave it.
  An all-digit value that is also a valid 身份证号 is an ID card.
- 银行卡号 (§9.4 [U]): 16–19 digits (contiguous or in groups of four) passing Luhn, starting with
  a common issuer prefix, or right after a label such as 卡号/账号. An 18-digit value shaped like
  an ID card (province prefix and birth date) is never a card.
- 车牌号码 (§9.5): ordinary and 新能源 plates, letters I and O excluded.
- 固定电话: an area code (010, 02X or 0XXX) with a separator or in brackets, or a 7–8 digit local
  number after a label such as 电话/座机/传真 and a colon.
- 电子邮箱: ``local@domain.tld``.
- 姓名, 详细地址 (best effort): a name from ``data/surnames.txt`` after a label such as 姓名/申请人
  and a colon, or a full name before 先生/女士 (never 张某, 李*); an address after a label such as
  住址/地址 and a colon (if it holds an address word), or a run of unit parts (``3号楼2单元501室``)
  with the address words before it.

Digit identifiers need boundaries: no ASCII letter or digit on either side, not the fraction of a
decimal number, not followed by a money unit. Findings never overlap: an earlier rule of
``_RULES`` (e-mail, credit code, ID card, bank card, mobile, landline, plate, address, name) wins
over a later one, and a longer candidate over a shorter one of the same rule; the loser is
dropped whole. Full-width digits, letters and signs are read as their ASCII forms.

Masking keeps the number of characters (but for e-mail addresses): ``1101**********1234``,
``138****8000``, ``010-******56``, ``6222********1234``, ``l***@example.cn``, ``京A****5``,
``张*``, ``北京市朝阳区*****``.
"""

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter, itemgetter
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    """What a finding is; the values are the ``type`` strings of ``gongkai privacy scan``."""

    ID_CARD = "id_card"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    PLATE = "plate"
    NAME = "name"
    ADDRESS = "address"
    CREDIT_CODE = "credit_code"


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier: ``text == source[start:end]`` (offsets in characters)."""

    kind: Kind
    start: int
    end: int
    text: str

    @property
    def personal(self) -> bool:
        return self.kind != Kind.CREDIT_CODE

    @property
    def masked(self) -> str:
        """The masked form; characters kept are kept as written (full-width or not)."""
        shadow = self.text.translate(_HALF_WIDTH)
        masked = _RULE_OF[self.kind].mask(shadow)
        if len(masked) != len(shadow):  # an e-mail address: its ASCII form
            return masked
        return "".join(
            m if m != s else t for m, s, t in zip(masked, shadow, self.text, strict=True)
        )


# Full-width digits, letters and the punctuation of identifiers (１３８００１３８０００,
# ａ＠ｂ．ｃｎ) are read as their ASCII forms: one character for one, so offsets do not move.
_HALF_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
)
# Translating is needed only where one of these is written full-width; the patterns accept the
# full-width ：（） of ordinary Chinese text as they are.
_FULL_WIDTH_NEEDED = re.compile("[０-９Ａ-Ｚａ-ｚ＠．＿％＋－＃\u3000]")


# --- validators ------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province prefixes of §9.1 (GB/T 2260), and 83 (residence permits of Taiwan residents).
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
_PROVINCES = frozenset(code for first, last in _PROVINCE_RANGES for code in range(first, last + 1))
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {char: value for value, char in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _digits_only(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _date_valid(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1800, 1, 1) <= born <= date.today()


def _shaped_like_id(digits: str) -> bool:
    """An 18-digit value with a valid province prefix and birth date (check digit not tested)."""
    return int(digits[:2]) in _PROVINCES and _date_valid(digits[6:14])


def id_card_valid(value: str) -> bool:
    """A 身份证号: 18 characters with a valid check character, or the old 15-digit form."""
    if len(value) == 15:
        return (
            _digits_only(value) and int(value[:2]) in _PROVINCES and _date_valid("19" + value[6:12])
        )
    if len(value) != 18 or not _digits_only(value[:17]):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _ID_WEIGHTS, strict=False))
    return _shaped_like_id(value) and value[17].upper() == _ID_CHECK[total % 11]


def credit_code_valid(value: str) -> bool:
    """A 统一社会信用代码 whose check character (GB 32100-2015) is right."""
    if len(value) != 18 or not all(char in _CREDIT_VALUES for char in value):
        return False
    total = sum(
        _CREDIT_VALUES[char] * weight for char, weight in zip(value, _CREDIT_WEIGHTS, strict=False)
    )
    return value[17] == _CREDIT_CHARSET[-total % 31]


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check of ISO/IEC 7812."""
    if not _digits_only(digits):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


# --- maskers ---------------------------------------------------------------------------------


def _keep_ends(value: str, head: int, tail: int) -> str:
    """``value`` with every character but the first ``head`` and last ``tail`` replaced by *."""
    middle = max(0, len(value) - head - tail)
    return value[:head] + "*" * middle + value[head + middle :]


def _mask_digits(value: str, head: int, tail: int) -> str:
    """Mask the digits but the first ``head`` and last ``tail`` in place; keep separators."""
    count = sum(char.isdigit() for char in value)
    masked: list[str] = []
    seen = 0
    for char in value:
        if char.isdigit():
            masked.append("*" if head <= seen < count - tail else char)
            seen += 1
        else:
            masked.append(char)
    return "".join(masked)


def _mask_id_card(value: str) -> str:
    return _keep_ends(value, 4, 4)


def _mask_mobile(value: str) -> str:
    """Keep any prefix, the first 3 and the last 4 of the 11 subscriber digits."""
    return _mask_digits(value, sum(char.isdigit() for char in value) - 8, 4)


def _mask_landline(value: str) -> str:
    """Keep the area code (010 and 02X have three digits, the others four) and the last 2."""
    digits = "".join(char for char in value if char.isdigit())
    area = 0 if digits[0] != "0" else 3 if digits[1] in "12" else 4
    return _mask_digits(value, area, 2)


def _mask_bank_card(value: str) -> str:
    return _mask_digits(value, 4, 4)


def _mask_email(value: str) -> str:
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _mask_plate(value: str) -> str:
    return _keep_ends(value, 2, 1)


def _mask_name(value: str) -> str:
    return _keep_ends(value, _surname_length(value), 0)


# The administrative divisions an address starts with (北京市朝阳区, 浙江省杭州市西湖区, 和平镇):
# kept when masking; the street, building and unit are masked. 小区, 社区, 园区… are not 区.
_ADMIN_PREFIX = re.compile(
    "(?:[\u3400-\u4dbf\u4e00-\u9fff]{0,7}?(?:自治区|街道|(?<![小社园校景])区|[省市县旗乡镇]))+"
)


def _mask_address(value: str) -> str:
    """Keep the leading administrative divisions (else the first 2 characters)."""
    prefix = _ADMIN_PREFIX.match(value)
    return _keep_ends(value, prefix.end() if prefix else 2, 0)


def _unchanged(value: str) -> str:
    return value


# --- candidates ------------------------------------------------------------------------------

Span = tuple[int, int]
Accept = Callable[[str, re.Match[str]], Span | None]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_WORD = re.compile(f"[{_HAN}]+")
# Digit identifiers stand alone: not inside a longer number or code, not a decimal, not money.
_START = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_END = r"(?![0-9A-Za-z])(?!\.[0-9])(?![元万亿%％])"
_AREA_CODE = r"0(?:10|2[0-9]|[3-9][0-9]{2})"

_CARD_PREFIXES = ("62", "60", "65", "4", "51", "52", "53", "54", "55", "35", "36", "37", "38")
_CARD_LABELS = ("卡号", "银行卡", "账号", "帐号")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _valid(check: Callable[[str], bool]) -> Accept:
    """Accept the whole match when ``check`` holds for it."""

    def accept(text: str, match: re.Match[str]) -> Span | None:
        return match.span() if check(match.group()) else None

    return accept


def _whole_match(text: str, match: re.Match[str]) -> Span | None:
    return match.span()


def _credit_code(value: str) -> bool:
    return credit_code_valid(value) and not id_card_valid(value)


def _accept_bank_card(text: str, match: re.Match[str]) -> Span | None:
    digits = match.group().replace(" ", "").replace("-", "")
    if (len(digits) == 18 and _shaped_like_id(digits)) or not luhn_valid(digits):
        return None
    label = text[max(0, match.start() - 8) : match.start()].rstrip(" \t：:为是")
    if digits.startswith(_CARD_PREFIXES) or label.endswith(_CARD_LABELS):
        return match.span()
    return None


_LANDLINE_LABEL = re.compile(r"(?:电话|座机|传真|固话)(?:号码)?[ \t]*[：:][ \t]*$")


def _accept_landline(text: str, match: re.Match[str]) -> Span | None:
    """An all-digit number counts only after a label; otherwise a separator marks the area code."""
    if not match.group("number").isdigit():
        return match.span()
    return (
        match.span()
        if _LANDLINE_LABEL.search(text, max(0, match.start() - 12), match.start())
        else None
    )


# Names: a surname from the data file and one or two more Han characters.
def _load_surnames() -> tuple[frozenset[str], frozenset[str]]:
    path = Path(__file__).with_name("data") / "surnames.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    words = {word for line in lines if not line.startswith("#") for word in line.split()}
    return (
        frozenset(word for word in words if len(word) == 1),
        frozenset(word for word in words if len(word) == 2),
    )


_SURNAMES, _COMPOUND_SURNAMES = _load_surnames()
# Words that typically follow a name, and characters that typically precede one.
_AFTER_NAME = (
    *("先生", "女士", "同志", "向", "于", "在", "反映", "来电", "称", "电话", "手机", "身份"),
    *("住", "联系", "等", "的", "性别", "年龄"),
)
_BEFORE_NAME = frozenset("向对给与和及请致由是为的据经把将让被同跟问")
# 先生 after one of these is a word in 先 and one in 生 (优先生产, 事先生效), not an honorific.
_BEFORE_XIAN = frozenset("优率事预首原领祖抢争早起")


def _surname_length(name: str) -> int:
    """2 for a compound surname followed by a given name, 1 for a single one, 0 for none."""
    if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES:
        return 2
    return 1 if name[:1] in _SURNAMES else 0


def _is_name(candidate: str) -> bool:
    """Surname plus 1–2 Han characters, not anonymised (张某, 张某某)."""
    surname = _surname_length(candidate)
    given = candidate[surname:]
    return (
        surname > 0
        and 1 <= len(given) <= 2
        and "某" not in given
        and _HAN_WORD.fullmatch(candidate) is not None
    )


def _name_after(text: str, start: int) -> Span | None:
    """The shortest name at ``start`` followed by a non-Han character or a typical word."""
    for end in range(start + 2, min(start + 4, len(text)) + 1):
        if _is_name(text[start:end]) and (
            end == len(text) or not _is_han(text[end]) or text.startswith(_AFTER_NAME, end)
        ):
            return start, end
    return None


def _name_before(text: str, end: int) -> Span | None:
    """The full name ending at ``end``: the shortest that starts after a non-Han character or a
    typical preceding character, else the shortest (``向王先生`` is 王先生, not a name)."""
    fallback = None
    for start in range(end - 2, max(end - 4, 0) - 1, -1):
        candidate = text[start:end]
        if not _is_name(candidate) or (len(candidate) == 2 and candidate[0] in _BEFORE_NAME):
            continue
        if start == 0 or not _is_han(text[start - 1]) or text[start - 1] in _BEFORE_NAME:
            return start, end
        fallback = fallback or (start, end)
    return fallback


def _accept_name(text: str, match: re.Match[str]) -> Span | None:
    if match.group("label"):
        return _name_after(text, match.end())
    if match.group() == "先生" and text[match.start() - 1 : match.start()] in _BEFORE_XIAN:
        return None
    return _name_before(text, match.start())


# Addresses: a run of unit parts expanded left over the address words before it.
_UNIT_PART = re.compile(r"[0-9]+(?:号楼|号院|栋|幢|单元|层|室|户)")
_ADDRESS_WORD = re.compile(r"[省市区县旗乡镇村路街道巷弄里号楼院室]")
_ADDRESS_STOP = frozenset("在住于是到从址至为")
# A single unit part ("30层", "100户") is an address only right after one of these.
_ADDRESS_TAILS = tuple("号路街道巷弄里村苑园院座栋幢楼厦寓庄")
_ADDRESS_REACH = 40


def _address_start(text: str, end: int) -> int:
    """Where the address whose unit parts start at ``end`` begins: go left over Han characters,
    ASCII letters, digits and -, up to a stop word or a run of 6 digits (a phone number)."""
    start, digits = end, 0
    while start > max(0, end - _ADDRESS_REACH):
        char = text[start - 1]
        if char in _ADDRESS_STOP or not (
            _is_han(char) or char == "-" or (char.isascii() and char.isalnum())
        ):
            break
        digits = digits + 1 if char.isdigit() else 0
        if digits == 6:
            start += 5
            break
        start -= 1
    return end - len(text[start:end].lstrip("-"))


def _accept_address(text: str, match: re.Match[str]) -> Span | None:
    if match.group("value"):
        return match.span("value") if _ADDRESS_WORD.search(match.group("value")) else None
    start = _address_start(text, match.start())
    before = text[start : match.start()]
    if "某" in before:  # anonymised (某小区3号楼)
        return None
    if len(_UNIT_PART.findall(match.group())) > 1 or before.endswith(_ADDRESS_TAILS):
        return start, match.end()
    return None


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: Kind
    label: Promise
    pattern: re.Pattern[str]
    accept: Accept
    mask: Callable[[str], str]


# In order of precedence when candidates overlap. Each pattern opens with a lookahead for its
# possible first characters, which lets the regex engine skip ahead (several times faster).
_RULES = (
    _Rule(
        Kind.EMAIL,
        _("电子邮箱"),
        re.compile(
            r"(?=[A-Za-z0-9._%+-])(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+"
            r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
        ),
        _whole_match,
        _mask_email,
    ),
    _Rule(
        Kind.CREDIT_CODE,
        _("统一社会信用代码"),
        re.compile(f"(?=[{_CREDIT_CHARSET}])" + _START + f"[{_CREDIT_CHARSET}]{{18}}" + _END),
        _valid(_credit_code),
        _unchanged,
    ),
    _Rule(
        Kind.ID_CARD,
        _("身份证号"),
        re.compile("(?=[1-9])" + _START + r"[1-9][0-9]{14}(?:[0-9]{2}[0-9Xx])?" + _END),
        _valid(id_card_valid),
        _mask_id_card,
    ),
    _Rule(
        Kind.BANK_CARD,
        _("银行卡号"),
        re.compile(
            "(?=[0-9])" + _START + r"(?:[0-9]{16,19}"
            r"|[0-9]{4}(?P<sep>[ -])[0-9]{4}(?:(?P=sep)[0-9]{4}){2}(?:(?P=sep)[0-9]{1,3})?)" + _END
        ),
        _accept_bank_card,
        _mask_bank_card,
    ),
    _Rule(
        Kind.MOBILE,
        _("手机号码"),
        re.compile(
            "(?=[+081])"
            + _START
            + r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}"
            + _END
        ),
        _whole_match,
        _mask_mobile,
    ),
    _Rule(
        Kind.LANDLINE,
        _("固定电话"),
        re.compile(
            "(?=[0-9(（])"
            + _START
            + rf"(?P<number>(?:{_AREA_CODE}[ -]?|[(（]{_AREA_CODE}[)）][ -]?)?[1-9][0-9]{{6,7}})"
            + _END
        ),
        _accept_landline,
        _mask_landline,
    ),
    _Rule(
        Kind.PLATE,
        _("车牌号码"),
        re.compile(
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Z]"
            r"(?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳])"
            r"(?![0-9A-Za-z])"
        ),
        _whole_match,
        _mask_plate,
    ),
    _Rule(
        Kind.ADDRESS,
        _("详细地址"),
        re.compile(
            r"(?=[住地0-9])(?:[住地]址[ \t]*[：:][ \t]*"
            rf"(?P<value>(?:(?!电话|手机|联系|邮编|邮箱|传真)[{_HAN}0-9A-Za-z#-])+)"
            rf"|(?<![0-9])(?:{_UNIT_PART.pattern})+)"
        ),
        _accept_address,
        _mask_address,
    ),
    _Rule(
        Kind.NAME,
        _("姓名"),
        re.compile(
            r"(?P<label>姓名|申请人|联系人|投诉人|举报人|来电人|反映人|当事人|经办人|户主|患者|收件人)"
            r"[ \t]*[：:][ \t]*|先生|女士"
        ),
        _accept_name,
        _mask_name,
    ),
)
_RULE_OF = {rule.kind: rule for rule in _RULES}
KIND_LABELS: Mapping[Kind, Promise] = {rule.kind: rule.label for rule in _RULES}


# --- the API ---------------------------------------------------------------------------------


def identify(text: str) -> list[Finding]:
    """Every identifier in ``text``, credit codes included, sorted by start, never overlapping.
    Full-width characters count as their ASCII forms (``text`` of a finding is as written)."""
    candidates = []
    shadow = text.translate(_HALF_WIDTH) if _FULL_WIDTH_NEEDED.search(text) else text
    for rank, rule in enumerate(_RULES):
        for match in rule.pattern.finditer(shadow):
            if span := rule.accept(shadow, match):
                start, end = span
                candidates.append((rank, start - end, start, end, rule.kind))
    candidates.sort()
    kept: list[tuple[int, int, Kind]] = []
    for _rank, _length, start, end, kind in candidates:
        index = bisect_right(kept, start, key=itemgetter(0))
        if (index and kept[index - 1][1] > start) or (index < len(kept) and kept[index][0] < end):
            continue
        kept.insert(index, (start, end, kind))
    return [Finding(kind, start, end, text[start:end]) for start, end, kind in kept]


def scan(text: str) -> list[Finding]:
    """The personal findings of ``text`` (everything but credit codes)."""
    return [finding for finding in identify(text) if finding.personal]


def mask(text: str, findings: Iterable[Finding] | None = None) -> str:
    """``text`` with each personal finding (or each of ``findings``) replaced by its masked form."""
    chosen = scan(text) if findings is None else sorted(findings, key=attrgetter("start"))
    parts: list[str] = []
    position = 0
    for finding in chosen:
        if finding.start < position or text[finding.start : finding.end] != finding.text:
            raise ValueError(f"finding does not fit the text: {finding!r}")
        parts += [text[position : finding.start], finding.masked]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


_CONTACT_MOBILE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")


def mask_name(value: str) -> str:
    """A person's name as entered in a name field: the surname kept (王**, 欧阳**)."""
    return _mask_name(value.strip()) if value.strip() else value


def mask_phone(value: str) -> str:
    """A value entered in a phone field, masked whatever its form: a mobile as 138****8000,
    another number keeps its area code and last two digits."""
    value = value.strip()
    if match := _CONTACT_MOBILE.fullmatch(value):
        return _mask_mobile(match.group(1))
    if sum(char.isdigit() for char in value) >= 5:
        return _mask_landline(value)
    return "*" * len(value)


def mask_contact(value: str) -> str:
    """Mask ``value`` if it is a whole mainland mobile number or an e-mail address."""
    if match := _CONTACT_MOBILE.fullmatch(value):
        return _mask_mobile(match.group(1))
    local, at, domain = value.partition("@")
    if at and local and domain:
        return _mask_email(value)
    return value
