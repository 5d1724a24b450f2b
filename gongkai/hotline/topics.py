"""诉求汇总: what 12345 requests are about — the text side of duplicate candidates and hot topics.

Pure functions over texts, no database: ``selectors`` bounds the orders with SQL (window, area,
caller, street, category) and calls these.

**Words.** A request is masked first (``core.privacy.mask``: phone and ID numbers, e-mail
addresses, labelled names become ``*``), cut with the project segmenter (``search.dictionary``,
search mode) and only words of two or more Han characters are kept: digits, Latin letters and
single characters never count, nor the stop words (``data/topic_stopwords.txt``: the framing of
a request, the districts, words used about every kind of matter — derived from the sample
requests by document frequency), nor any part of the caller's own name. So no phone number, ID
number or caller's name can become a topic's label or make two orders look alike.

**Duplicates**: two requests say the same when the Jaccard index of their word sets is at least
``DUPLICATE_SIMILARITY``. On the sample requests (``data/requests.yaml``) and rewordings of them
(``Variants`` of ``bench/hotline_routing.py``: another opening and closing, a clause dropped or
added, another place), 95 % of the pairs of rewordings of one request score ≥ 0.375, and 99 %
of the pairs of different requests of the same top-level category < 0.24: hence 0.3.

**Hot topics**: the texts are weighted with TF-IDF (sublinear term frequency, l2 norm) and two
are alike when their cosine is at least ``TOPIC_SIMILARITY`` (on the same data: 90 % of the
rewordings of one request ≥ 0.63, 99 % of different requests < 0.35; the threshold sits low in
that gap because people reword more freely than the generator). The orders are grouped
by star clustering over that graph: the text with the most alike texts starts a topic and takes
every alike text not yet taken, then the next (ties by position, so the result is
deterministic). Unlike connected components it does not chain different matters together
through a few in-between texts (on 5,000 rewordings at 0.45: the largest component holds 100
texts, the largest star 40; adjusted Rand index against the requests 0.34 and 0.68). A topic's
label is its heaviest words (summed TF-IDF), a word inside an already chosen one skipped, one
holding a chosen one in its place (垃圾桶, not 垃圾).
"""

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from gongkai.core.privacy import mask
from gongkai.search.text import Segmenter, normalise

STOP_WORDS_FILE = Path(__file__).resolve().parent / "data" / "topic_stopwords.txt"
DUPLICATE_SIMILARITY = 0.3
TOPIC_SIMILARITY = 0.45
ADDRESS_SIMILARITY = 0.6  # difflib ratio of two normalised addresses
LABEL_WORDS = 3
CHUNK = 512  # rows of the similarity matrix computed at a time (bounds the memory)
EARTH_RADIUS_M = 6_371_000.0
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


@cache
def stop_words() -> frozenset[str]:
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise(line.strip()) for line in lines if line.strip()[:1] not in "#")


def words(text: str, *, segmenter: Segmenter, private: Iterable[str] = ()) -> list[str]:
    """The words of a request that can say what it is about (see the module docstring);
    ``private``: the caller's name and the like, none of whose parts may count."""
    hidden = [normalise(value).strip() for value in private if value.strip()]
    stop = stop_words()
    return [
        token
        for token in segmenter.index_tokens(mask(text))
        if _WORD.fullmatch(token)
        and token not in stop
        and not any(token in value or value in token for value in hidden)
    ]


def similarity(a: Collection[str], b: Collection[str]) -> float:
    """The Jaccard index of two texts' word sets (0 when both are empty)."""
    first, second = set(a), set(b)
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def same_address(a: str, b: str) -> bool:
    """Whether two addresses name the same place: one contains the other, or they are alike
    (``ADDRESS_SIMILARITY``). A blank address names no place."""
    first, second = (re.sub(r"\s+", "", normalise(value)) for value in (a, b))
    if not first or not second:
        return False
    if first in second or second in first:
        return True
    return SequenceMatcher(None, first, second).ratio() >= ADDRESS_SIMILARITY


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def degrees_around(latitude: float, radius_m: float) -> tuple[float, float]:
    """The (latitude, longitude) half-widths in degrees of a box holding a circle of
    ``radius_m`` around a point at ``latitude``: a bound for a database filter."""
    lat = math.degrees(radius_m / EARTH_RADIUS_M)
    cosine = max(math.cos(math.radians(latitude)), 0.01)
    return lat, lat / cosine


@dataclass(frozen=True)
class Topic:
    members: tuple[int, ...]
    """Positions of its texts in ``documents``, in order."""
    words: tuple[str, ...]
    """The label: its heaviest words."""
    earlier: tuple[int, ...]
    """Positions of the texts of ``earlier`` (the previous period's) alike to it."""


def _as_given(tokens: list[str]) -> list[str]:
    return tokens


def _alike(rows: sparse.csr_matrix, threshold: float) -> sparse.csr_matrix:
    """The graph of texts whose cosine is at least ``threshold`` (rows are l2-normalised)."""
    blocks = []
    for start in range(0, rows.shape[0], CHUNK):
        block = (rows[start : start + CHUNK] @ rows.T).tocsr()
        block.data = (block.data >= threshold - 1e-9).astype(np.int8)
        block.eliminate_zeros()
        blocks.append(block)
    return sparse.vstack(blocks, format="csr")


def _stars(graph: sparse.csr_matrix) -> list[list[int]]:
    """Star clustering (module docstring): groups of positions, each in ascending order."""
    degrees = np.diff(graph.indptr)
    order = np.lexsort((np.arange(len(degrees)), -degrees))
    taken = np.zeros(len(degrees), dtype=bool)
    groups = []
    for centre in order:
        if taken[centre]:
            continue
        neighbours = graph.indices[graph.indptr[centre] : graph.indptr[centre + 1]]
        members = np.union1d(neighbours[~taken[neighbours]], [centre])
        taken[members] = True
        groups.append([int(m) for m in members])
    return groups


def _label(centroid: sparse.csr_matrix, vocabulary: np.ndarray) -> tuple[str, ...]:
    """The heaviest words of a topic's centroid (one row)."""
    chosen: list[str] = []
    order = np.lexsort((centroid.indices, -centroid.data))
    for index in centroid.indices[order]:
        if len(chosen) == LABEL_WORDS:
            break
        word = str(vocabulary[index])
        if any(word in other for other in chosen):
            continue
        # A word holding a chosen one says more (垃圾桶, not 垃圾): it takes that one's place.
        chosen = [other for other in chosen if other not in word] + [word]
    return tuple(chosen)


def hot_topics(
    documents: Sequence[list[str]],
    earlier: Sequence[list[str]] = (),
    *,
    minimum: int = 2,
    threshold: float = TOPIC_SIMILARITY,
) -> list[Topic]:
    """The topics of at least ``minimum`` texts among ``documents`` (each a text's ``words``),
    largest first (ties: earliest first member). Each lists the texts of ``earlier`` (the
    previous period's) alike to it: their cosine to its centroid is at least ``threshold`` and
    not less than to any other topic's."""
    if not any(documents):
        return []
    vectorizer = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True)
    rows = vectorizer.fit_transform(documents).tocsr()
    groups = [g for g in _stars(_alike(rows, threshold)) if len(g) >= minimum]
    groups.sort(key=lambda g: (-len(g), g[0]))
    if not groups:
        return []
    membership = sparse.csr_matrix(
        (
            np.ones(sum(len(g) for g in groups)),
            ([i for i, g in enumerate(groups) for _member in g], [m for g in groups for m in g]),
        ),
        shape=(len(groups), rows.shape[0]),
    )
    centroids = normalize(membership @ rows).tocsr()
    best = np.full(len(earlier), -1)
    if any(earlier):
        scores = (vectorizer.transform(earlier) @ centroids.T).tocsr()
        alike = scores.max(axis=1).toarray().ravel() >= threshold - 1e-9
        best[alike] = np.asarray(scores.argmax(axis=1)).ravel()[alike]
    vocabulary = vectorizer.get_feature_names_out()
    return [
        Topic(
            tuple(g),
            _label(centroids[i], vocabulary),
            tuple(int(p) for p in np.flatnonzero(best == i)),
        )
        for i, g in enumerate(groups)
    ]
