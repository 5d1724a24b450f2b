"""Reading and rewriting a document's body, which is sanitised HTML (``services`` cleans it with
nh3 before saving): its text, its links, and its text rewritten node by node (masking)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Elements that end a line of text: the plain text puts a line break after them.
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "caption",
    ]
)


@dataclass
class Body:
    texts: list[str] = field(default_factory=list)  # the text nodes, in order
    links: list[str] = field(default_factory=list)  # every href and src
    plain: list[str] = field(default_factory=list)  # the text with line breaks after blocks

    @property
    def text(self) -> str:
        lines = "".join(self.plain).split("\n")
        return "\n".join(line.strip() for line in lines if line.strip())


class _Parser(HTMLParser):
    def __init__(self, rewrite: Callable[[str], str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.body = Body()
        self.rewrite = rewrite
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.body.links += [value for name, value in attrs if name in ("href", "src") and value]
        if tag == "br":
            self.body.plain.append("\n")
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.body.plain.append("\n")
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.body.texts.append(data)
        self.body.plain.append(data)
        self.out.append(escape(self.rewrite(data) if self.rewrite else data, quote=False))


def parse_body(html: str) -> Body:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.body


def rewrite_text(html: str, rewrite: Callable[[str], str]) -> str:
    """``html`` with each text node replaced by ``rewrite(text)``; the markup is kept."""
    parser = _Parser(rewrite)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
