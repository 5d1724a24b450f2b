"""The public shell in a real browser: home page, large-text mode, staff login, CJK glyphs."""

from pathlib import Path

import pytest

from gongkai.accounts import services
from gongkai.accounts.models import AccountKind, Role, User
from gongkai.orgs.models import Kind, Level, Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Gongkai#2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "test-results"

# Draws each distinct character of an element's text on a canvas in the element's font and
# returns those whose pixels equal the "missing glyph" box (tofu) or are blank.
FIND_TOFU = """
(el) => {
  const family = getComputedStyle(el).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = `32px ${family}`;
  ctx.textBaseline = 'top';
  const draw = (ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.fillText(ch, 4, 4);
    return ctx.getImageData(0, 0, 48, 48).data.join(',');
  };
  const blank = draw(' ');
  const missing = [draw('\\u{10FFFD}'), draw('\\u{10FFFC}')];
  const chars = [...new Set(el.innerText)].filter((ch) => /\\p{Script=Han}/u.test(ch));
  const bad = chars.filter((ch) => {
    const pixels = draw(ch);
    return pixels === blank || missing.includes(pixels);
  });
  return {checked: chars.length, bad: bad.join('')};
}
"""


def assert_no_tofu(page, selector: str) -> None:
    result = page.locator(selector).first.evaluate(FIND_TOFU)
    assert result["checked"] > 0, f"no Chinese characters found in {selector}"
    assert result["bad"] == "", f"characters drawn as missing-glyph boxes: {result['bad']}"


@pytest.fixture
def staff_user() -> User:
    org = Organisation.objects.create(
        code="110000-FGW",
        name="北京市发展和改革委员会",
        short_name="市发展改革委",
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
    )
    user = User.objects.create_user(
        username="fgw_jb",
        password=PASSWORD,
        full_name="陈静",
        kind=AccountKind.STAFF,
        organisation=org,
    )
    services.role_grant(actor=None, user=user, role=Role.HANDLER)
    return user


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_home_large_text_login_and_workbench(page, staff_user):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_no_tofu(page, "h1")
    assert_no_tofu(page, "nav.main-nav")
    normal = root_font_px(page)

    page.get_by_role("button", name="大字版").click()
    page.wait_for_function("document.body.classList.contains('mode-large-text')")
    assert root_font_px(page) > normal * 1.2
    page.reload()
    assert "mode-large-text" in (page.locator("body").get_attribute("class") or "")
    assert root_font_px(page) > normal * 1.2
    assert page.get_by_role("button", name="大字版").get_attribute("aria-pressed") == "true"

    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名 / 手机号码 / 电子邮箱").fill("fgw_jb")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    main = page.locator("main")
    assert "北京市发展和改革委员会" in main.inner_text()
    assert "经办人" in main.inner_text()
    assert_no_tofu(page, "main")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "workbench-large-text.png"), full_page=True)


def test_keyboard_reaches_main_content_first(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_high_contrast_mode(page):
    page.goto("/")
    page.get_by_role("button", name="高对比度").click()
    page.wait_for_function("document.body.classList.contains('mode-high-contrast')")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
