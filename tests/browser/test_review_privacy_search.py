"""Personal information in the review, in a real browser: a handler drafts a notice whose body
gives a mobile number, the reviewer sees the 个人信息 finding, masks it, approves and publishes;
a visitor finds the notice by a two-character word of its title, highlighted, and the number
is nowhere public."""

import pytest

from gongkai.publishing.models import Document, Status

from .test_publishing import SCREENSHOTS, act, fill_common, log_in, log_out, open_document
from .test_shell import assert_no_tofu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于做好冬季供暖保障工作的通知"
MOBILE = "13800138000"
MASKED = "138****8000"


def test_mask_approve_publish_and_find(page, staff) -> None:
    # The handler drafts the notice, with a mobile number in the body, and submits it.
    log_in(page, "fgw_jb")
    page.get_by_role("link", name="新建政府信息").click()
    fill_common(page, title=TITLE, summary="部署今冬明春供暖保障工作。")
    page.get_by_label("体裁").select_option(label="通知")
    page.get_by_label("正文").fill(
        "<p>各区人民政府，市政府各委、办、局：</p>"
        f"<p>请于11月15日前报送供暖保障情况，如有疑问请与市发展改革委能源处联系，联系电话{MOBILE}。</p>"
    )
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector(f"h1:text-is('{TITLE}')")
    act(page, "提交审核")
    log_out(page)

    # The reviewer sees the finding, masks it, approves without an override and publishes.
    log_in(page, "fgw_sh")
    page.get_by_role("link", name="待我审核").click()
    open_document(page, TITLE)
    act(page, "开始审核")
    checks = page.locator("section", has=page.locator("h2#checks-title"))
    finding = checks.locator("tr", has=page.locator("th:text-is('个人信息')"))
    assert "未通过" in finding.inner_text()
    assert f"手机号码 {MASKED}" in finding.inner_text()
    assert MOBILE not in finding.inner_text()
    assert page.get_by_label("手机号码（1 处）").is_checked()
    assert_no_tofu(page, "#checks-title")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "publishing-personal-data.png"), full_page=True)
    act(page, "遮盖个人信息")
    assert "已遮盖 1 处个人信息" in page.locator(".message--success").inner_text()
    assert "通过" in finding.inner_text()
    assert "未通过" not in finding.inner_text()
    assert MOBILE not in page.locator(".document-body").inner_text()
    assert page.get_by_label("“个人信息”未通过，放行理由").count() == 0
    act(page, "审核通过")
    act(page, "发布")
    assert "状态：已发布" in page.locator("main").inner_text()
    log_out(page)

    document = Document.objects.get(title=TITLE)
    assert document.status == Status.PUBLISHED
    assert MOBILE not in document.body

    # A visitor searches for a two-character word of the title.
    page.goto("/search/?q=供暖")
    results = page.locator("ol.search-results > li")
    assert results.count() == 1
    heading = results.first.locator("h3 a")
    assert heading.inner_text() == TITLE
    assert "<mark>供暖</mark>" in heading.inner_html()
    assert MOBILE not in page.content()
    assert_no_tofu(page, "main")

    heading.click()
    page.wait_for_selector(f"h1:text-is('{TITLE}')")
    assert f"联系电话{MASKED}" in page.locator(".document-body").inner_text()
    assert MOBILE not in page.content()
    assert_no_tofu(page, "main")
