"""The personal-information detector and masker (gongkai/core/privacy.py).

The check characters are computed here from the formulas of the facts file (§9), independently
of the module's tables.
"""

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.core.privacy import (
    KIND_LABELS,
    Finding,
    Kind,
    credit_code_valid,
    id_card_valid,
    identify,
    luhn_valid,
    mask,
    mask_contact,
    mask_name,
    mask_phone,
    scan,
)

PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45]
PROVINCES += [46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_check(body: str) -> str:
    """ISO 7064 MOD 11-2: weights 2^(18-i) mod 11."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(body))
    return "10X98765432"[total % 11]


def credit_check(body: str) -> str:
    """GB 32100-2015: weights 3^(i-1) mod 31."""
    total = sum(CREDIT_CHARSET.index(char) * pow(3, i, 31) for i, char in enumerate(body))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def luhn_check(body: str) -> str:
    """The digit that makes ``body`` + digit pass Luhn."""
    total = 0
    for i, char in enumerate(reversed(body)):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


id_bodies = st.builds(
    lambda province, region, born, sequence: f"{province}{region:04d}{born:%Y%m%d}{sequence:03d}",
    st.sampled_from(PROVINCES),
    st.integers(0, 9999),
    st.dates(date(1900, 1, 1), date.today()),
    st.integers(0, 999),
)
valid_ids = id_bodies.map(lambda body: body + id_check(body))
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
card_bodies = (
    st.sampled_from([13, 16])
    .flatmap(lambda length: st.text("0123456789", min_size=length, max_size=length))
    .map(lambda digits: "62" + digits)
)
valid_cards = card_bodies.map(lambda body: body + luhn_check(body))
# Characters that may surround an identifier, and ones that glue it to something longer.
separators = st.sampled_from([*"，。：（）《》、；—- \n", "张三", "的", "号码", ""])
glue = st.sampled_from(list("0123456789AbXz"))


def kinds(text: str) -> list[tuple[Kind, str]]:
    return [(finding.kind, finding.text) for finding in scan(text)]


# --- generated identifiers -------------------------------------------------------------------


@given(valid_ids, st.booleans())
def test_valid_id_cards_are_found_and_masked(number, lower):
    number = number.lower() if lower else number
    (finding,) = scan(f"身份证号：{number}。")
    assert (finding.kind, finding.text, finding.start) == (Kind.ID_CARD, number, 5)
    assert finding.masked == number[:4] + "*" * 10 + number[-4:]


@given(id_bodies, st.sampled_from("0123456789X"))
def test_an_id_with_a_wrong_check_digit_is_not_flagged(body, check):
    assume(check != id_check(body))
    text = f"证件号码{body}{check}，"
    assert scan(text) == []
    assert all(finding.kind == Kind.CREDIT_CODE for finding in identify(text))


@given(st.text(CREDIT_CHARSET, min_size=17, max_size=17))
def test_credit_codes_are_identified_but_not_personal(body):
    code = body + credit_check(body)
    assume(not id_card_valid(code))
    text = f"统一社会信用代码：{code}。"
    assert identify(text) == [Finding(Kind.CREDIT_CODE, 9, 27, code)]
    assert scan(text) == []
    assert mask(text) == text


@given(valid_cards)
def test_luhn_valid_cards_are_bank_cards(card):
    (finding,) = scan(f"退款至{card}。")
    assert (finding.kind, finding.text) == (Kind.BANK_CARD, card)
    assert finding.masked == card[:4] + "*" * (len(card) - 8) + card[-4:]


@given(card_bodies, st.integers(1, 9))
def test_luhn_invalid_cards_are_not_flagged(body, offset):
    card = body + str((int(luhn_check(body)) + offset) % 10)
    assert scan(f"卡号：{card}。") == []


@given(mobiles, st.sampled_from(["", "+86", "86", "0086", "+86 ", "+86-"]))
def test_mobiles_with_or_without_country_code(mobile, prefix):
    (finding,) = scan(f"请致电{prefix}{mobile}咨询")
    assert (finding.kind, finding.text) == (Kind.MOBILE, prefix + mobile)
    assert finding.masked == prefix + mobile[:3] + "****" + mobile[-4:]


@given(st.one_of(valid_ids, mobiles, valid_cards), separators, separators)
def test_identifiers_between_chinese_text_and_punctuation(value, left, right):
    text = f"{left}{value}{right}"
    (finding,) = scan(text)
    assert (finding.start, finding.end, finding.text) == (len(left), len(left) + len(value), value)


@given(st.one_of(valid_ids, mobiles, valid_cards), glue, st.booleans())
def test_identifiers_glued_to_digits_or_letters_are_not_found(value, char, before):
    text = f"编号{char}{value}。" if before else f"编号{value}{char}。"
    if char.isdigit():  # the longer number may be an identifier of its own (a card), not value
        assert value not in [finding.text for finding in scan(text)]
    else:
        assert scan(text) == []


# --- examples --------------------------------------------------------------------------------

POSITIVES = [
    # (text, kind, found text, masked)
    ("身份证号110101199003070396，", Kind.ID_CARD, "110101199003070396", "1101**********0396"),
    ("号码34052419800101001X。", Kind.ID_CARD, "34052419800101001X", "3405**********001X"),
    ("号码34052419800101001x。", Kind.ID_CARD, "34052419800101001x", "3405**********001x"),
    ("旧证号110101900307123。", Kind.ID_CARD, "110101900307123", "1101*******7123"),
    ("手机13800138000", Kind.MOBILE, "13800138000", "138****8000"),
    ("手机：138 0013 8000。", Kind.MOBILE, "138 0013 8000", "138 **** 8000"),
    ("手机：138-0013-8000。", Kind.MOBILE, "138-0013-8000", "138-****-8000"),
    ("电话+8613800138000", Kind.MOBILE, "+8613800138000", "+86138****8000"),
    ("(0086 13912345678)", Kind.MOBILE, "0086 13912345678", "0086 139****5678"),
    ("电话010-65123456。", Kind.LANDLINE, "010-65123456", "010-******56"),
    ("电话(010)65123456。", Kind.LANDLINE, "(010)65123456", "(010)******56"),
    ("电话（0755）1234567。", Kind.LANDLINE, "（0755）1234567", "（0755）*****67"),
    ("0755-1234567转分机", Kind.LANDLINE, "0755-1234567", "0755-*****67"),
    ("联系电话：65123456。", Kind.LANDLINE, "65123456", "******56"),
    ("传真: 6512345", Kind.LANDLINE, "6512345", "*****45"),
    ("座机：01065123456", Kind.LANDLINE, "01065123456", "010******56"),
    ("卡号6222021234567890128。", Kind.BANK_CARD, "6222021234567890128", "6222***********0128"),
    (
        "卡号 6222 0212 3456 7890 128",
        Kind.BANK_CARD,
        "6222 0212 3456 7890 128",
        "6222 **** **** ***0 128",
    ),
    ("卡4111-1111-1111-1111。", Kind.BANK_CARD, "4111-1111-1111-1111", "4111-****-****-1111"),
    ("银行账号：1234567812345670。", Kind.BANK_CARD, "1234567812345670", "1234********5670"),
    ("邮箱li.ming@example.cn。", Kind.EMAIL, "li.ming@example.cn", "l***@example.cn"),
    ("发至13800138000@qq.com", Kind.EMAIL, "13800138000@qq.com", "1***@qq.com"),
    ("车牌京A12345。", Kind.PLATE, "京A12345", "京A****5"),
    ("新能源车粤BD12345", Kind.PLATE, "粤BD12345", "粤B*****5"),
    ("新能源货车沪A12345F，", Kind.PLATE, "沪A12345F", "沪A*****F"),
    ("教练车苏E1234学", Kind.PLATE, "苏E1234学", "苏E****学"),
]


@pytest.mark.parametrize(("text", "kind", "found", "masked"), POSITIVES)
def test_examples_of_each_kind(text, kind, found, masked):
    (finding,) = scan(text)
    assert (finding.kind, finding.text) == (kind, found)
    assert text[finding.start : finding.end] == found
    assert finding.masked == masked
    assert kind == Kind.EMAIL or len(finding.masked) == len(found)
    assert mask(text) == text.replace(found, masked)


NEGATIVES = [
    "统一社会信用代码91350200776049653A",
    "代码913502000728319549和9135021359498494XQ",
    "京政发〔2018〕12号",
    "国办发〔2019〕19号",
    "索引号：11000002K/2026-00012",
    "索引号：000014348/2018-00123",
    "2018年12月31日",
    "20181231",
    "2026-11-26",
    "3.5亿元",
    "1,234,567.89元",
    "金额13800138000.50元",
    "共13,800,138,000元",
    "13800138000元",
    "工单号GD2026112600123",
    "工单号2026112600123",
    "GB/T 37964-2019",
    "GB 11643-1999",
    "流水号2013800138000123",
    "订单A13800138000",
    "13800138000B",
    "编号110101199003071234",  # wrong check digit
    "请拨打12345、110、12315或12345678",
    "电话：12345",
    "400-810-8888",
    "京ICP备05070218号",
    "统计显示地上30层的建筑有100户",
    "全区共有贫困户1200户",
    "申请人：张某，被申请人：李某某",
    "联系人：王*、赵××、钱X",
    "张先生和王女士",
    "本办法由市人民政府负责解释，优先生产急需物资",
    "申请人：北京市某某科技有限公司",
    "申请书应当载明申请人的姓名、住址",
    "地址：见附件",
    "家住某小区5号楼501室",  # anonymised
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_personal_information(text):
    assert scan(text) == []
    assert mask(text) == text


def test_an_all_digit_valid_id_wins_over_a_valid_credit_code():
    number = "110101199003070396"
    assert id_card_valid(number)
    assert credit_code_valid(number)
    assert kinds(f"号码{number}") == [(Kind.ID_CARD, number)]


def test_a_valid_credit_code_is_never_a_bank_card():
    code = "620000000000000369"  # Luhn-valid, prefix 62
    assert luhn_valid(code)
    assert credit_code_valid(code)
    assert identify(f"代码{code}") == [Finding(Kind.CREDIT_CODE, 2, 20, code)]


def test_an_id_shaped_18_digit_number_is_never_a_bank_card():
    number = "620102199003070002"  # prefix 62, birth date, passes Luhn, wrong ID check digit
    assert luhn_valid(number)
    assert not id_card_valid(number)
    assert scan(f"卡号：{number}") == []


@pytest.mark.parametrize(
    ("text", "name", "masked"),
    [
        ("姓名：张三\n", "张三", "张*"),
        ("申请人: 王小明，", "王小明", "王**"),
        ("投诉人：李四反映", "李四", "李*"),
        ("联系人：赵敏女士", "赵敏", "赵*"),
        ("来电人：刘洋来电称", "刘洋", "刘*"),
        ("患者：陈建华，男", "陈建华", "陈**"),
        ("经办人：周杰电话", "周杰", "周*"),
        ("举报人：欧阳修文", "欧阳修文", "欧阳**"),
        ("当事人：司马光在", "司马光", "司马*"),
        ("户主：诸葛亮等", "诸葛亮", "诸葛*"),
        ("感谢张三先生的支持", "张三", "张*"),
        ("由欧阳修文女士负责", "欧阳修文", "欧阳**"),
        ("向王明先生致谢", "王明", "王*"),
        ("1911年孙中山先生领导", "孙中山", "孙**"),
    ],
)
def test_names_in_labelled_contexts(text, name, masked):
    (finding,) = scan(text)
    assert (finding.kind, finding.text, finding.masked) == (Kind.NAME, name, masked)


@pytest.mark.parametrize(
    "text",
    [
        "张三丰来了",  # no label
        "姓名张三",  # no colon
        "申请人：王府井百货大楼",  # a name must end at a non-Han character or a typical word
        "联系人：某某",
        "联系人：张某",
        "向王先生反映",  # 王先生 is a surname only
        "女士们、先生们",
    ],
)
def test_not_names(text):
    assert [f for f in scan(text) if f.kind == Kind.NAME] == []


@pytest.mark.parametrize(
    ("text", "address", "kept"),
    [
        (
            "家住北京市朝阳区建国路88号3号楼2单元501室。",
            "北京市朝阳区建国路88号3号楼2单元501室",
            "北京市朝阳区",
        ),
        ("住在阳光小区5号楼501室，", "阳光小区5号楼501室", "阳光"),
        ("他住3号楼2单元501室", "3号楼2单元501室", "3号"),
        ("位于平安里5号院3栋", "平安里5号院3栋", "平安"),
        (
            "现住址：浙江省杭州市西湖区文三路100号，",
            "浙江省杭州市西湖区文三路100号",
            "浙江省杭州市西湖区",
        ),
        ("地址:海淀区中关村大街27号电话010-62751234", "海淀区中关村大街27号", "海淀区"),
        (
            "通讯地址：广州市天河区体育西路191号B座15层",
            "广州市天河区体育西路191号B座15层",
            "广州市天河区",
        ),
        ("送至建国路88号1502室", "建国路88号1502室", "建国"),
        ("和平镇建设路12号3单元", "和平镇建设路12号3单元", "和平镇"),
        ("朝阳区街道办3号楼501室", "朝阳区街道办3号楼501室", "朝阳区街道"),
        ("团结湖街道3号楼501室", "团结湖街道3号楼501室", "团结湖街道"),
    ],
)
def test_addresses(text, address, kept):
    findings = [f for f in scan(text) if f.kind == Kind.ADDRESS]
    masked = kept + "*" * (len(address) - len(kept))
    assert [(f.text, f.masked) for f in findings] == [(address, masked)]


def test_an_address_keeps_the_phone_before_it_a_separate_finding():
    text = "电话13800138000朝阳区3号楼501室"
    assert kinds(text) == [(Kind.MOBILE, "13800138000"), (Kind.ADDRESS, "朝阳区3号楼501室")]


def test_mask_keeps_everything_else():
    text = (
        "关于张三（身份证号110101199003070396）信访事项的答复意见\n"
        "申请人：张三，联系电话：13800138000，电子邮箱zhangsan@example.cn，"
        "住址：北京市东城区正义路2号院3号楼501室。\n"
        "统一社会信用代码91350200776049653A；依据京政发〔2018〕12号，于2018年12月31日答复。"
    )
    expected = (
        "关于张三（身份证号1101**********0396）信访事项的答复意见\n"
        "申请人：张*，联系电话：138****8000，电子邮箱z***@example.cn，"
        "住址：北京市东城区*************。\n"
        "统一社会信用代码91350200776049653A；依据京政发〔2018〕12号，于2018年12月31日答复。"
    )
    assert mask(text) == expected
    findings = identify(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert all(a.end <= b.start for a, b in pairwise(findings))
    assert [f for f in findings if not f.personal] == [
        Finding(Kind.CREDIT_CODE, text.index("9135"), text.index("9135") + 18, "91350200776049653A")
    ]


def test_mask_with_given_findings():
    text = "手机13800138000，邮箱li@example.cn"
    mobile, _email = scan(text)
    assert mask(text, [mobile]) == "手机138****8000，邮箱li@example.cn"
    assert mask(text, []) == text
    with pytest.raises(ValueError, match="does not fit"):
        mask("另一段文字", [mobile])


def test_offsets_count_characters_not_bytes():
    text = "𠮷张三的手机是13800138000"
    (finding,) = scan(text)
    assert (finding.start, finding.end) == (7, 18)
    assert text[finding.start : finding.end] == finding.text


def test_every_kind_has_a_chinese_label():
    assert set(KIND_LABELS) == set(Kind)
    assert str(KIND_LABELS[Kind.ID_CARD]) == "身份证号"
    assert str(KIND_LABELS[Kind.CREDIT_CODE]) == "统一社会信用代码"


# --- validators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("34052419800101001X", True),
        ("34052419800101001x", True),
        ("110101199003070396", True),
        ("110101199003071234", False),  # check digit
        ("990101199003070390", False),  # province 99
        ("110101199002300391", False),  # 30 February
        ("110101299003070396", False),  # born in 2990
        ("110101900307123", True),  # 15 digits, 1990-03-07
        ("110101901307123", False),  # month 13
        ("11010119900307039", False),
        ("１１０１０１１９９００３０７０３９６", False),  # full-width digits
    ],
)
def test_id_card_valid(value, valid):
    assert id_card_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("91350200776049653A", True),
        ("913502000728319549", True),
        ("9135021359498494XQ", True),
        ("91350200776049653B", False),
        ("91350200776049653a", False),
        ("9135020077604965", False),
    ],
)
def test_credit_code_valid(value, valid):
    assert credit_code_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("4111111111111111", True), ("4111111111111112", False), ("79927398713", True), ("", False)],
)
def test_luhn_valid(value, valid):
    assert luhn_valid(value) is valid


# --- mask_contact (login names) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "138****8000"),
        ("li.ming@example.cn", "l***@example.cn"),
        ("fgw_jb", "fgw_jb"),
        ("12345678901", "12345678901"),  # not a mobile number: 2nd digit 2
        ("110000-FGW", "110000-FGW"),
    ],
)
def test_mask_contact(value, masked):
    assert mask_contact(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("010-65123456", "010-******56"),
        ("0571 8712 3456", "0571 **** **56"),
        ("65123456", "******56"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_phone_masks_every_kind_of_number(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"), [("王先生", "王**"), ("欧阳娜娜", "欧阳**"), ("", "")]
)
def test_mask_name_keeps_the_surname(value, masked):
    assert mask_name(value) == masked


@given(mobiles)
def test_masked_mobiles_keep_only_seven_digits(mobile):
    masked = mask_contact(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


def test_full_width_identifiers_are_found_and_masked_as_written():
    text = "电话：１３８００１３８０００，邮箱ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ。"
    findings = scan(text)
    assert [(f.kind, f.text) for f in findings] == [
        (Kind.MOBILE, "１３８００１３８０００"),
        (Kind.EMAIL, "ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ"),
    ]
    assert mask(text) == "电话：１３８****８０００，邮箱l***@example.cn。"
