"""``sitemap.xml``: the column pages and every listed public document."""

from xml.etree import ElementTree

import pytest
from django.test import Client

from gongkai.publishing.models import Disclosure

from .public_data import document, publish_version, withdraw

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap(client: Client) -> None:
    revised = document("修订过的通知", published="2018-03-05")
    publish_version(revised, published="2019-04-01")
    other = document("另一份通知", published="2018-05-06")
    on_request = document("依申请公开的通知", disclosure=Disclosure.ON_REQUEST)
    never = document("未发布的通知", published=None)
    gone = document("撤回的通知")
    withdraw(gone, reason="撤回")

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod")
        for url in ElementTree.fromstring(response.content).iter(f"{NS}url")
    }

    base = "http://testserver/xxgk/"
    assert urls == {
        base: None,
        f"{base}zc/": None,
        f"{base}zc/{revised.index_no}/": "2019-04-01",  # the latest version
        f"{base}zc/{other.index_no}/": "2018-05-06",
    }
    for hidden in (on_request, never, gone):
        assert f"{base}zc/{hidden.index_no}/" not in urls
