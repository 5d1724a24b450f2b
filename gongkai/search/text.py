"""Chinese text for search: normalisation, segmentation, query terms and highlighted snippets.

Pure functions over text, no database: the indexer's worker processes use them as they are.

**Segmentation** uses rjieba (jieba's algorithm and dictionary, in Rust; same output as jieba,
about ten times faster) with the project dictionary (``dictionary.py``) added. A document is
indexed with jieba's *search mode* with the project dictionary (every word plus the dictionary
words inside long words: 北京市 gives 北京, 京市, 北京市); each project term found is also cut
without the project dictionary, so that both a project term (营商环境, 北京市发展和改革委员会)
and the ordinary words inside it (营商, 环境, 发展, 改革) are found, and project terms that sit
inside a longer token are added too. A query is cut in *precise mode* with the same dictionary:
each of its words is then one of the document's tokens wherever the document contains it.

**Normalisation** (both sides): NFKC (full-width letters and digits become ASCII) and lower case.
Tokens without a letter, digit or Han character (punctuation, spaces, the ``*`` of masked text)
are dropped.
"""

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import rjieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Single-character words that carry no meaning on their own; dropped from a query that has
# other words (a query of only such words keeps them).
STOP_WORDS = frozenset("的了和与及或在对等是为之其于由把被将从以而并且也就都")

SNIPPET_LENGTH = 120
_IN_WORDS = frozenset("+#&._%-@")  # ASCII punctuation jieba keeps inside a word (c++, v1.0)
_TOKEN = re.compile(r"[^\W_]", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC, character by character, then lower case (the same on both sides)."""
    fold, needed = _folding()
    return (text.translate(fold) if needed.search(text) else text).lower()


@cache
def _folding() -> tuple[dict[int, str], re.Pattern[str]]:
    """The characters NFKC changes (full-width letters and digits, ①, ㎡, compatibility
    ideographs …), except those that become ASCII punctuation or a space: jieba separates words
    at them in either form, so they cannot change a token, and Chinese text is full of them
    (，：（）). Most texts therefore need no folding at all — a search instead of NFKC, a
    fifteenth of its time."""
    fold = {}
    for code in range(0x10000):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char) if not 0xD800 <= code <= 0xDFFF else char
        separator = folded.isspace() or (folded in string.punctuation and folded not in _IN_WORDS)
        if folded != char and not separator:
            fold[code] = folded
    return fold, re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(fold)) + "]")


def is_token(word: str) -> bool:
    return word.isalnum() or bool(_TOKEN.search(word))  # isalnum: most words, at once


@cache
def _base() -> rjieba.Jieba:
    """jieba's own dictionary, without project terms (loaded once per process)."""
    return rjieba.Jieba()


class Segmenter:
    """Segmentation with a fixed project dictionary; build a new one when the dictionary changes."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in (normalise(word).strip() for word in words) if w)
        self._jieba = rjieba.Jieba()
        for word in sorted(self.words):
            self._jieba.add_word(word, None, None)
        self._longest = max((len(w) for w in self.words), default=0)
        self._inside = lru_cache(maxsize=65_536)(self._words_inside)

    def index_tokens(self, text: str) -> list[str]:
        """The tokens a text is indexed under (repeated as often as they occur)."""
        tokens = [t for t in self._jieba.cut_for_search(normalise(text)) if is_token(t)]
        seen = set(tokens)
        extra = dict.fromkeys(w for t in seen if len(t) > 3 for w in self._inside(t))
        return tokens + [w for w in extra if w not in seen]

    def query_words(self, text: str) -> list[str]:
        """A query's words, in order, without repeats; stop words dropped unless alone."""
        words = list(dict.fromkeys(t for t in self._jieba.cut(normalise(text)) if is_token(t)))
        meaningful = [w for w in words if w not in STOP_WORDS]
        return meaningful or words

    def _words_inside(self, token: str) -> tuple[str, ...]:
        """The words inside a long token that search mode leaves out: those jieba's own
        dictionary finds in a project term, and the project terms of 4+ characters strictly
        inside ``token`` (search mode adds only 2- and 3-grams)."""
        found = (
            [t for t in _base().cut_for_search(token) if is_token(t)] if token in self.words else []
        )
        for size in range(4, min(len(token) - 1, self._longest) + 1):
            for start in range(len(token) - size + 1):
                part = token[start : start + size]
                if part in self.words:
                    found.append(part)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a query and the tokens that match it (itself and its synonyms)."""

    word: str
    alternatives: tuple[str, ...]


def query_terms(
    segmenter: Segmenter, query: str, synonyms: Mapping[str, Sequence[str]]
) -> list[Term]:
    """The query's words, each with its synonyms (a synonym is one dictionary word)."""
    terms = []
    for word in segmenter.query_words(query):
        alternatives = [word, *(s for s in synonyms.get(word, ()) if s != word)]
        terms.append(Term(word=word, alternatives=tuple(dict.fromkeys(alternatives))))
    return terms


# ---- Highlighting -----------------------------------------------------------------------------


def _pattern(terms: Sequence[Term]) -> re.Pattern[str] | None:
    words = sorted({a for term in terms for a in term.alternatives}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, terms: Sequence[Term]) -> SafeString:
    """``text`` escaped, with every occurrence of a query term (or synonym) in ``<mark>``."""
    pattern = _pattern(terms)
    return _marked(text, pattern.finditer(text) if pattern else ())


def snippet(text: str, terms: Sequence[Term], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """An extract of about ``length`` characters of ``text`` around the place where the most
    different query terms occur, escaped, the terms in ``<mark>``, ``…`` where cut."""
    text = " ".join(text.split())
    pattern = _pattern(terms)
    matches = list(pattern.finditer(text)) if pattern else []
    start = _best_window(matches, length) if matches else 0
    start = max(0, min(start, len(text) - length))
    end = min(len(text), start + length)
    inside = [m for m in matches if m.start() >= start and m.end() <= end]
    body = _marked(text[start:end], inside, offset=start)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))


def _best_window(matches: Sequence[re.Match[str]], length: int) -> int:
    """Where to start the extract: a little before the match that begins the window holding
    the most different terms (the earliest such window)."""
    best, best_count = 0, 0
    counts: Counter[str] = Counter()
    end = 0  # the matches from ``first`` up to ``end`` lie within the window it starts
    for first in matches:
        while end < len(matches) and matches[end].end() <= first.start() + length:
            counts[matches[end].group(0).lower()] += 1
            end += 1
        if len(counts) > best_count:
            best, best_count = first.start(), len(counts)
        word = first.group(0).lower()
        counts[word] -= 1
        if not counts[word]:
            del counts[word]
    return max(0, best - length // 6)


def _marked(text: str, matches: Iterable[re.Match[str]], *, offset: int = 0) -> SafeString:
    parts, position = [], 0
    for match in matches:
        begin, end = match.start() - offset, match.end() - offset
        parts += [escape(text[position:begin]), "<mark>", escape(text[begin:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
