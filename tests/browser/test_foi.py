"""Disclosure on request in a real browser: a citizen files an application online, a handler
asks for a correction with a 补正 notice, the citizen corrects it online and sees the clock
restart, the handler replies partially with a generated letter and masked information, and the
citizen downloads both."""

from datetime import date
from pathlib import Path

import pytest

from gongkai.core import calendar as core_calendar
from gongkai.foi import services
from gongkai.foi.letters import load_letter_templates
from gongkai.foi.models import Application, LetterTemplate
from gongkai.foi.tests import CALENDAR

from .test_shell import PASSWORD, SCREENSHOTS, assert_no_tofu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "110101199003071233"
INFORMATION = "2024年本市老旧小区综合整治项目清单"
CORRECTED = "2024年东城区老旧小区综合整治项目清单及资金安排"
ENCLOSURE = f"项目清单\n联系人 李明 身份证号 {ID_NUMBER}\n".encode()


@pytest.fixture
def days(monkeypatch, settings, tmp_path) -> dict[str, date]:
    """The official calendar, letters stored under ``tmp_path``, and "today" as the test sets
    it (the live server runs in this process)."""
    settings.MEDIA_ROOT = tmp_path
    load_letter_templates(LetterTemplate)
    monkeypatch.setattr(core_calendar, "_snapshot", lambda: CALENDAR)
    today = {"now": date(2025, 9, 1)}
    monkeypatch.setattr(services, "local_today", lambda: today["now"])
    return today


def staff_page(browser, live_server):
    """The handler, logged in on the queues, in a browser context of their own."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名 / 手机号码 / 电子邮箱").fill("fgw_jb")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开办理").click()
    page.wait_for_url("**/ysqgk/gl/")
    return page


def submit(page, form: str, button: str) -> None:
    """Press the button of an action form; the action must succeed."""
    with page.expect_navigation():
        page.locator(form).get_by_role("button", name=button).click()
    assert page.locator(".message--success").count() == 1, page.locator("main").inner_text()


def download(page, link: str) -> bytes:
    with page.expect_download() as started:
        page.get_by_role("link", name=link).click()
    return Path(started.value.path()).read_bytes()


def test_apply_correct_reply_and_download(page, browser, live_server, staff, days) -> None:
    # A citizen files an application online on Monday 1 September 2025.
    page.goto("/ysqgk/")
    assert_no_tofu(page, "main")
    page.locator("main").get_by_role("link", name="在线申请").click()
    page.get_by_label("受理机关").select_option(label="北京市发展和改革委员会")
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("姓名或名称").fill("李明")
    page.get_by_label("身份证明类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("电子邮箱").fill("liming@example.cn")
    page.get_by_label("所需信息的名称或描述").fill(INFORMATION)
    page.get_by_label("电子数据").check()
    page.get_by_label("获取信息的方式").select_option(label="网上获取")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("h1:text-is('申请已提交')")
    receipt_no = page.locator("[data-receipt-no]").inner_text()
    assert len(page.locator("[data-query-code]").inner_text()) == services.QUERY_CODE_LENGTH
    assert "查询码只显示这一次" in page.locator("main").inner_text()
    assert_no_tofu(page, "main")
    page.get_by_role("link", name="查看办理进度").click()
    page.wait_for_selector(f"h1:text-is('申请 {receipt_no}')")
    assert "办理中" in page.locator("#progress-title + dl").inner_text()

    # On Wednesday the handler asks for a correction and issues the 补正 notice.
    days["now"] = date(2025, 9, 3)
    handler = staff_page(browser, live_server)
    handler.locator("main").get_by_role("link", name=receipt_no).first.click()
    handler.wait_for_selector(f"h1:text-is('申请 {receipt_no}')")
    assert ID_NUMBER in handler.locator("main").inner_text()  # in full to the handler
    correction = handler.locator("#action-correction_request")
    correction.get_by_label("补正期限（工作日）").fill("10")
    correction.get_by_label("需要补正的事项").fill("请写明所需信息涉及的区和是否包括资金安排。")
    submit(handler, "#action-correction_request", "告知补正")
    handler.locator("#action-letter").get_by_label("文书").select_option(
        label="补正申请告知书（告知补正，2025年9月3日）"
    )
    submit(handler, "#action-letter", "生成文书")
    assert "补正申请告知书" in handler.locator("#letters-title + table").inner_text()

    # On Monday the citizen sees what to correct and corrects the application online.
    days["now"] = date(2025, 9, 8)
    page.reload()
    assert "请写明所需信息涉及的区和是否包括资金安排。" in page.locator("main").inner_text()
    assert "等待补正" in page.locator("#progress-title + dl").inner_text()
    page.get_by_label("补正后的所需信息描述").fill(CORRECTED)
    with page.expect_navigation():
        page.get_by_role("button", name="提交补正").click()
    assert "已提交补正" in page.locator(".message--success").inner_text()
    timeline = page.locator("table.timeline").inner_text()
    assert "补正期间，暂停计算" in timeline
    assert "收到补正后的申请，重新起算，当日不计入" in timeline
    assert "2025年10月11日" in page.locator("#progress-title + dl").inner_text()
    assert_no_tofu(page, "main")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "foi-applicant-timeline.png"), full_page=True)

    # On Wednesday the handler replies: partly disclosed, with the list, its ID numbers masked.
    days["now"] = date(2025, 9, 10)
    handler.reload()
    assert CORRECTED in handler.locator("main").inner_text()
    reply = handler.locator("#action-reply")
    reply.get_by_label("办理结果").select_option(label="部分公开")
    reply.get_by_label("答复说明").fill("清单中的个人信息属于个人隐私，不予公开。")
    submit(handler, "#action-reply", "答复")
    letter = handler.locator("#action-letter")
    letter.get_by_label("文书").select_option(
        label="政府信息公开申请答复告知书（答复，2025年9月10日）"
    )
    letter.get_by_label("随答复提供的信息").set_input_files(
        files=[{"name": "项目清单.txt", "mimeType": "text/plain", "buffer": ENCLOSURE}]
    )
    submit(handler, "#action-letter", "生成文书")
    assert_no_tofu(handler, "main")
    handler.screenshot(path=str(SCREENSHOTS / "foi-staff-application.png"), full_page=True)
    handler.context.close()

    # The citizen sees the reply and downloads the letter and the masked list.
    page.reload()
    assert "部分公开" in page.locator("#request-title ~ dl").inner_text()
    assert download(page, "下载政府信息公开申请答复告知书（PDF）").startswith(b"%PDF")
    enclosure = download(page, "附件：项目清单.txt").decode()
    assert "项目清单" in enclosure
    assert ID_NUMBER not in enclosure
    assert_no_tofu(page, "main")
    application = Application.objects.get(receipt_no=receipt_no)
    assert application.information == CORRECTED
    assert application.outcome == "partial"
