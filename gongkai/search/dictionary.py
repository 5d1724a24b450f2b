"""The project dictionary and synonyms, and the segmenter built from them.

- ``data/dictionary.txt``: policy and programme terms (营商环境, 政务公开, 12345热线, 接诉即办…).
- ``data/synonyms.yaml``: groups of abbreviations and equivalent terms (发改委 ↔ 发展改革委 ↔
  发展和改革委员会).
- The organisation directory: every organisation's full and short names, former names and
  aliases form one synonym group (a search for 市发改委 finds 北京市发展和改革委员会).

Every term of all three is a dictionary word. The segmenter is built once per process and
rebuilt when the organisation directory changes (``dictionary_changed`` bumps a version in the
shared cache; each process compares it on use). Documents indexed before such a change keep
their old tokens until ``gongkai search reindex``: ``index_outdated`` tells, by comparing the
fingerprint recorded with the last rebuild.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.cache import cache as shared_cache

from gongkai.orgs.selectors import org_name_groups

from .text import Segmenter, normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
VERSION_KEY = "gongkai:search:dictionary"


@cache
def _static_terms() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    lines = (DATA_DIR / "dictionary.txt").read_text(encoding="utf-8").splitlines()
    terms = tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    groups = yaml.safe_load((DATA_DIR / "synonyms.yaml").read_text(encoding="utf-8"))
    return terms, tuple(tuple(str(term) for term in group) for group in groups)


@dataclass(frozen=True)
class Dictionary:
    words: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256("\n".join(self.words).encode())
        for word in sorted(self.synonyms):
            digest.update(f"\n{word}={','.join(self.synonyms[word])}".encode())
        return digest.hexdigest()[:16]


def load_dictionary() -> Dictionary:
    """The dictionary as it is now (reads the organisation directory)."""
    terms, groups = _static_terms()
    all_groups = [*groups, *org_name_groups()]
    synonyms: defaultdict[str, dict[str, None]] = defaultdict(dict)
    for group in all_groups:
        normalised = [normalise(term).strip() for term in group]
        for term in normalised:
            synonyms[term].update(dict.fromkeys(t for t in normalised if t != term))
    words = sorted({normalise(t).strip() for t in terms} | set(synonyms))
    return Dictionary(
        words=tuple(w for w in words if w),
        synonyms={term: tuple(others) for term, others in synonyms.items() if others},
    )


_current: tuple[int, Dictionary, Segmenter] | None = None


def current() -> tuple[Dictionary, Segmenter]:
    """This process's dictionary and segmenter, rebuilt after ``dictionary_changed``."""
    global _current
    version = int(shared_cache.get(VERSION_KEY) or 0)
    if _current is None or _current[0] != version:
        dictionary = load_dictionary()
        _current = (version, dictionary, Segmenter(dictionary.words))
    return _current[1], _current[2]


def dictionary_changed(**kwargs: object) -> None:
    """Signal receiver: the organisation directory changed; every process rebuilds."""
    global _current
    _current = None
    try:
        shared_cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or the cache was cleared
        shared_cache.set(VERSION_KEY, 1, timeout=None)
