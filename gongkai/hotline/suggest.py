"""The learned routing suggestion: where a new 12345 request most likely goes.

Trained on past dispatches — (request text, the organisation code or catalogue target it was
dispatched to) — it ranks the targets for a new text; the operator still decides. The text is
cut with the project segmenter (``search.dictionary``: the project terms and every
organisation's names are words; search mode, so the words inside long ones count too),
weighted with TF-IDF and classified by a multinomial logistic regression, whose probabilities
are the confidences.

A saved model records the fingerprint of the dictionary it was trained with: after the
dictionary changes (an organisation renamed or added) the same text is cut differently, so the
model is ``outdated`` and should be retrained; it still answers meanwhile. Model files are
pickles (joblib): load only files this platform wrote itself.
"""

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import joblib
import sklearn
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from gongkai.core.errors import CoreError
from gongkai.search import dictionary as search_dictionary
from gongkai.search.dictionary import Dictionary
from gongkai.search.text import Segmenter

logger = logging.getLogger(__name__)

FORMAT = 1  # of the saved file; a file of another format must be retrained
MIN_EXAMPLES = 20  # below this a ranking is noise
MIN_TARGETS = 2
RANDOM_STATE = 12345
REGULARISATION = 10.0  # LogisticRegression's C, chosen by cross-validation on requests.yaml

Words = tuple[Dictionary, Segmenter]  # what ``search.dictionary.current()`` returns


class SuggestErrorCode(StrEnum):
    TOO_FEW_EXAMPLES = "hotline.suggest.too_few_examples"
    TOO_FEW_TARGETS = "hotline.suggest.too_few_targets"
    FILE_MISSING = "hotline.suggest.file_missing"
    FILE_UNREADABLE = "hotline.suggest.file_unreadable"
    OTHER_FORMAT = "hotline.suggest.other_format"


class SuggestError(CoreError, ValueError):
    messages = {
        SuggestErrorCode.TOO_FEW_EXAMPLES: _(
            "训练样本太少：至少需要 %(minimum)d 条有内容的工单，收到 %(count)d 条。"
        ),
        SuggestErrorCode.TOO_FEW_TARGETS: _(
            "训练样本至少要涉及 %(minimum)d 个不同的承办单位，收到 %(count)d 个。"
        ),
        SuggestErrorCode.FILE_MISSING: _("找不到派单建议模型文件“%(path)s”，请先训练模型。"),
        SuggestErrorCode.FILE_UNREADABLE: _(
            "无法读取派单建议模型文件“%(path)s”（%(problem)s），请重新训练模型。"
        ),
        SuggestErrorCode.OTHER_FORMAT: _(
            "派单建议模型文件“%(path)s”的格式版本为 %(found)s，当前版本为 %(expected)s，"
            "请重新训练模型。"
        ),
    }


@dataclass(frozen=True)
class Suggestion:
    target: str
    confidence: float  # 0–1; the confidences of all targets sum to 1


def _as_given(tokens: list[str]) -> list[str]:
    """The vectoriser's analyser: the texts arrive already cut (module level, so it pickles)."""
    return tokens


class Model:
    """A trained suggestion. ``words``: the dictionary and segmenter to cut texts with;
    None: the process's current ones (``search.dictionary.current()``) at each call."""

    def __init__(
        self,
        *,
        vectorizer: TfidfVectorizer,
        classifier: LogisticRegression,
        fingerprint: str,
        examples: int,
        sklearn_version: str = sklearn.__version__,
        words: Words | None = None,
    ) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.fingerprint = fingerprint
        self.examples = examples
        self.sklearn_version = sklearn_version
        self.words = words

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(str(target) for target in self.classifier.classes_)

    @property
    def outdated(self) -> bool:
        """Trained with another dictionary or another scikit-learn: retrain."""
        dictionary, _segmenter = self._words()
        return (
            self.fingerprint != dictionary.fingerprint
            or self.sklearn_version != sklearn.__version__
        )

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        """The ``k`` likeliest targets, most confident first; none when the text shares no
        word with the training examples."""
        _dictionary, segmenter = self._words()
        features = self.vectorizer.transform([segmenter.index_tokens(text)])
        if not features.nnz:
            return []
        probabilities = self.classifier.predict_proba(features)[0]
        targets = self.targets
        best = sorted(range(len(targets)), key=lambda i: -probabilities[i])[: max(k, 0)]
        return [Suggestion(targets[i], float(probabilities[i])) for i in best]

    def save(self, path: Path | str) -> None:
        """Write the model to ``path`` (replaced at once, so a reader never sees half a file)."""
        path = Path(path)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        state: dict[str, Any] = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "examples": self.examples,
            "sklearn": self.sklearn_version,
            "vectorizer": self.vectorizer,
            "classifier": self.classifier,
        }
        try:
            joblib.dump(state, temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path | str, *, words: Words | None = None) -> "Model":
        path = Path(path)
        if not path.is_file():
            raise SuggestError(SuggestErrorCode.FILE_MISSING, path=path)
        try:
            state = joblib.load(path)
        except Exception as error:  # a truncated or foreign file fails in many ways
            raise SuggestError(
                SuggestErrorCode.FILE_UNREADABLE, path=path, problem=type(error).__name__
            ) from error
        found = state.get("format") if isinstance(state, dict) else None
        if found != FORMAT:
            raise SuggestError(
                SuggestErrorCode.OTHER_FORMAT, path=path, found=found or "未知", expected=FORMAT
            )
        return cls(
            vectorizer=state["vectorizer"],
            classifier=state["classifier"],
            fingerprint=state["fingerprint"],
            examples=state["examples"],
            sklearn_version=state["sklearn"],
            words=words,
        )

    def _words(self) -> Words:
        return self.words or search_dictionary.current()


def train(examples: Iterable[tuple[str, str]], *, words: Words | None = None) -> Model:
    """Learn from (request text, target) pairs; pairs with an empty text or target are skipped.

    ``words``: the dictionary and segmenter to cut texts with (default: the current ones). The
    same examples always give the same model.
    """
    dictionary, segmenter = words or search_dictionary.current()
    documents, targets = [], []
    for text, target in examples:
        tokens = segmenter.index_tokens(text)
        if tokens and target.strip():
            documents.append(tokens)
            targets.append(target.strip())
    if len(documents) < MIN_EXAMPLES:
        raise SuggestError(
            SuggestErrorCode.TOO_FEW_EXAMPLES, minimum=MIN_EXAMPLES, count=len(documents)
        )
    if len(set(targets)) < MIN_TARGETS:
        raise SuggestError(
            SuggestErrorCode.TOO_FEW_TARGETS, minimum=MIN_TARGETS, count=len(set(targets))
        )
    vectorizer = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True)
    features = vectorizer.fit_transform(documents)
    # Balanced class weights: the street offices receive most orders (they are the hub), and
    # without them a department seen in few examples is never ranked first. newton-cg
    # converges in under ten iterations here, from 700 to 20,000 examples (lbfgs takes two to
    # seven times longer; sag sometimes does not converge at all), to the same accuracy.
    classifier = LogisticRegression(
        C=REGULARISATION,
        class_weight="balanced",
        solver="newton-cg",
        max_iter=2000,
        random_state=RANDOM_STATE,
    )
    classifier.fit(features, targets)
    return Model(
        vectorizer=vectorizer,
        classifier=classifier,
        fingerprint=dictionary.fingerprint,
        examples=len(documents),
        words=words,
    )


_current: dict[Path, tuple[tuple[int, int, int], Model]] = {}


def current() -> Model | None:
    """The model trained for this site (the file ``GONGKAI_HOTLINE_SUGGEST_MODEL``, written by
    ``gongkai hotline train``), read again when the file changes; None while none has been
    trained, or when the file cannot be read (logged: retrain)."""
    path = Path(settings.GONGKAI_HOTLINE_SUGGEST_MODEL)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # ``save`` makes a new file
    cached = _current.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        model = Model.load(path)
    except SuggestError as error:
        logger.warning("hotline routing suggestion not available: %s", error)
        return None
    _current[path] = (version, model)
    return model
