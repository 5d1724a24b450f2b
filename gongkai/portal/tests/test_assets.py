"""The site must work on an isolated network: nothing may load from an outside URL."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
STATIC = PACKAGE / "portal" / "static" / "portal"

OUTSIDE_URL = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])"""
    r"""(?:https?:)?//(?!(?:localhost|127\.0\.0\.1)(?:[:/"'\s]|$))""",
    re.I,
)


def asset_files() -> list[Path]:
    return sorted(
        path
        for folder in ("templates", "static")
        for path in PACKAGE.glob(f"*/{folder}/**/*")
        if path.suffix in {".html", ".txt", ".css", ".js", ".svg"}
    )


def test_the_pattern_catches_outside_urls() -> None:
    assert OUTSIDE_URL.search('<script src="https://cdn.example/x.js">')
    assert OUTSIDE_URL.search("<link href='//fonts.example/css'>")
    assert OUTSIDE_URL.search("background: url(http://img.example/a.png)")
    assert OUTSIDE_URL.search('@import "https://x.example/a.css";')
    assert not OUTSIDE_URL.search('<a href="http://localhost:8000/">')
    assert not OUTSIDE_URL.search('<link href="/static/portal/css/site.css">')


def test_the_portal_ships_its_assets() -> None:
    assert (STATIC / "css" / "site.css").is_file()
    assert (STATIC / "js" / "modes.js").is_file()
    assert len(asset_files()) > 5


@pytest.mark.parametrize("path", asset_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_template_or_static_file_references_an_outside_url(path: Path) -> None:
    hits = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE_URL.search(line)
    ]
    assert hits == []


def test_font_sizes_scale_with_the_root_font_size() -> None:
    css = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
    sizes = re.findall(r"font-size:\s*([^;]+);", css)

    assert sizes
    assert [size for size in sizes if not re.fullmatch(r"[\d.]+(rem|em|%)", size)] == []
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"' in css
