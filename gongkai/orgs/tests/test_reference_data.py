"""The Beijing reference data as loaded."""

from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.orgs.services import org_alias_remove, org_load_reference_data


def test_loading_keeps_what_administrators_changed(beijing: None) -> None:
    fgw = Organisation.objects.get(code="110000-FGW")
    org_alias_remove(actor=None, organisation=fgw, alias="市发改委")

    assert org_load_reference_data() == 0
    assert not fgw.aliases.filter(alias="市发改委").exists()


def test_the_reference_data_in_numbers(beijing: None) -> None:
    active = Organisation.objects.filter(is_active=True)
    districts = active.filter(level=Level.DISTRICT, kind=Kind.GOVERNMENT)

    assert active.get(parent=None).code == "110000"
    assert districts.count() == 16
    assert active.filter(level=Level.STREET, parent__code="110101").count() == 17
    assert active.filter(level=Level.STREET, parent__code="110102").count() == 15
    assert {o.parent.code for o in active.filter(level=Level.STREET)} == {
        "110101", "110102", "110105", "110108", "110112",
    }  # fmt: skip
    inactive = set(Organisation.objects.filter(is_active=False).values_list("code", flat=True))
    assert inactive == {
        "110000-ZGC", "110000-NYJ", "110000-GSJ", "110000-ZJJ", "110000-SYJJ", "110000-WHJ",
        "110000-LYW", "110000-FZB", "110000-SHB", "110000-SGB", "110000-GSWJ", "110000-DSWJ",
    }  # fmt: skip


RENAMED_2018 = {
    "110000-GHZRZYW": ("市规划国土委", "市规划自然资源委"),
    "110000-JXJ": ("市经济信息化委", "市经济和信息化局"),
    "110000-STHJJ": ("市环保局", "市生态环境局"),
    "110000-WJW": ("市卫生计生委", "市卫生健康委"),
    "110000-NYNCJ": ("市农委", "市农业农村局"),
    "110000-SW": ("市商务委", "市商务局"),
    "110000-YJGLJ": ("市安全监管局", "市应急局"),
    "110000-GDJ": ("市新闻出版广电局", "市广电局"),
    "110000-JRJ": ("市金融局", "市金融监管局"),
    "110000-ZWFWJ": ("市政务服务办", "市政务服务局"),
    "110000-FPZYB": ("市支援合作办", "市扶贫支援办"),
    "110000-KW": ("市科委", "市科委、中关村管委会"),
    "110000-LSJ": ("市粮食局", "市粮食和储备局"),
}


def test_the_2018_renames(beijing: None) -> None:
    renamed = {
        org.code: tuple(name.short_name for name in org.names.all())
        for org in Organisation.objects.filter(names__valid_to__isnull=False, is_active=True)
        .distinct()
        .prefetch_related("names")
    }

    assert renamed == RENAMED_2018
