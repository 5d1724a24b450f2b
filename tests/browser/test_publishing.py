"""Publishing in a real browser: a handler drafts a 规范性文件 and its 负责人解读, a reviewer
approves both and publishes them together (同步), the public library links them both ways, and
a revision adds a second version to the public version history."""

import re
from pathlib import Path

import pytest

from gongkai.publishing.models import Document, Status

from .test_shell import PASSWORD, assert_no_tofu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results"
POLICY = "北京市政务公开工作规范管理办法"
INTERPRETATION = "《北京市政务公开工作规范管理办法》主要负责人解读"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名 / 手机号码 / 电子邮箱").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息管理").click()
    page.wait_for_url("**/xxgk/gl/")


def log_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/$"))


def fill_common(page, *, title: str, summary: str) -> None:
    page.get_by_label("标题").fill(title)
    page.get_by_label("主题分类").select_option(label="政务公开")
    page.get_by_label("成文日期").fill("2025-09-26")
    page.get_by_label("主动公开").check()
    page.get_by_label("内容概述").fill(summary)


def act(page, button: str) -> None:
    """Press an action button on the document page; the action must succeed."""
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    assert page.locator(".message--success").count() == 1, page.locator("main").inner_text()


def open_document(page, title: str) -> None:
    page.locator("main").get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_selector(f"h1:text-is('{title}')")


def test_draft_review_publish_together_and_revise(page, staff) -> None:
    # The handler drafts the policy and, from its page, the interpretation.
    log_in(page, "fgw_jb")
    page.get_by_role("link", name="新建政府信息").click()
    fill_common(page, title=POLICY, summary="规范本委政务公开工作的程序和要求。")
    page.get_by_label("体裁").select_option(label="规范性文件")
    page.get_by_label("发文字号").fill("京发改发[2025]12号")
    page.get_by_label("正文").fill("<p>第一条 为规范政务公开工作，制定本办法。</p>")
    assert_no_tofu(page, "main")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector(f"h1:text-is('{POLICY}')")
    assert "京发改发〔2025〕12号" in page.locator("main").inner_text()

    page.get_by_role("link", name="为本文件新建政策解读").click()
    assert page.get_by_label("所解读的政策").evaluate(
        "select => [...select.selectedOptions].map(option => option.text)"
    ) == [f"{POLICY}（110000-FGW/2025-00001）"]
    page.get_by_label("解读形式").select_option(label="负责人解读")
    page.get_by_label("解读负责人").fill("张明")
    fill_common(page, title=INTERPRETATION, summary="主要负责人解读办法的出台背景和主要内容。")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector(f"h1:text-is('{INTERPRETATION}')")
    act(page, "提交审核")
    open_document(page, POLICY)
    act(page, "提交审核")
    assert "状态：已提交" in page.locator("main").inner_text()
    log_out(page)

    # The reviewer starts the review, approves both and publishes them together.
    log_in(page, "fgw_sh")
    page.get_by_role("link", name="待我审核").click()
    open_document(page, INTERPRETATION)
    act(page, "开始审核")
    act(page, "审核通过")
    open_document(page, POLICY)
    act(page, "开始审核")
    act(page, "审核通过")
    together = page.get_by_label(f"{INTERPRETATION}（110000-FGW/2025-00002）")
    assert together.is_checked()
    assert_no_tofu(page, "main")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "publishing-staff-document.png"), full_page=True)
    act(page, "发布")
    assert "状态：已发布" in page.locator("main").inner_text()
    log_out(page)

    # The public library lists both; the policy and the interpretation link to each other.
    page.goto("/xxgk/zc/")
    results = page.locator("main table").inner_text()
    assert POLICY in results
    assert INTERPRETATION in results
    page.locator("main table").get_by_role("link", name=POLICY, exact=True).click()
    page.wait_for_selector(f"h1:text-is('{POLICY}')")
    interpretations = page.locator("section", has=page.locator("h2:text-is('政策解读')"))
    assert "负责人解读（张明）" in interpretations.inner_text()
    interpretations.get_by_role("link", name=INTERPRETATION).click()
    page.wait_for_selector(f"h1:text-is('{INTERPRETATION}')")
    page.locator("section", has=page.locator("h2:text-is('所解读的政策文件')")).get_by_role(
        "link", name=POLICY
    ).click()
    page.wait_for_selector(f"h1:text-is('{POLICY}')")
    assert_no_tofu(page, "main")

    # The handler starts a revision, the reviewer approves and publishes it.
    log_in(page, "fgw_jb")
    open_document(page, POLICY)
    page.get_by_label("修订说明").fill("补充第二条适用范围")
    act(page, "开始修订")
    page.get_by_role("link", name="修改草稿和附件").click()
    page.get_by_label("正文").fill(
        "<p>第一条 为规范政务公开工作，制定本办法。</p><p>第二条 本办法适用于本委各处室。</p>"
    )
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_selector(f"h1:text-is('{POLICY}')")
    act(page, "提交审核")
    log_out(page)

    log_in(page, "fgw_sh")
    page.get_by_role("link", name="待我审核").click()
    open_document(page, POLICY)
    act(page, "开始审核")
    act(page, "审核通过")
    act(page, "发布")
    log_out(page)

    policy = Document.objects.get(title=POLICY)
    assert (policy.status, policy.version) == (Status.PUBLISHED, 2)
    page.goto(f"/xxgk/zc/{policy.index_no}/")
    history = page.locator("section", has=page.locator("h2:text-is('历史版本')"))
    rows = history.locator("tbody tr")
    assert rows.count() == 2
    assert "第 2 版" in rows.nth(0).inner_text()
    assert "补充第二条适用范围" in rows.nth(0).inner_text()
    assert "第 1 版" in rows.nth(1).inner_text()
    assert "第二条 本办法适用于本委各处室。" in page.locator(".document-body").inner_text()
    assert_no_tofu(page, "main")
