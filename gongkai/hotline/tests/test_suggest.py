"""The learned routing suggestion, trained on the sample requests labelled by the catalogue.

Pure Python with a hand-built dictionary (the category names as project words), so no
database is needed except by the one test of the default dictionary.
"""

from pathlib import Path
from typing import Any

import joblib
import pytest
import yaml

from gongkai.hotline import suggest
from gongkai.hotline.suggest import Model, SuggestError, SuggestErrorCode, train
from gongkai.search import dictionary
from gongkai.search.dictionary import Dictionary
from gongkai.search.text import Segmenter

DATA = Path(__file__).resolve().parents[1] / "data"


def load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def make_words(*extra: str) -> suggest.Words:
    """A dictionary of the category names (plus ``extra``) and its segmenter."""

    def names(nodes: list[dict[str, Any]]) -> list[str]:
        return [n for node in nodes for n in (node["name"], *names(node.get("children", [])))]

    words = tuple(sorted({*names(load("categories.yaml")["categories"]), *extra}))
    return Dictionary(words=words, synonyms={}), Segmenter(words)


def target(rule: dict[str, Any]) -> str:
    """A catalogue rule's target key (see dispatch.yaml)."""
    return "street" if rule["level"] == "street" else str(rule["org"])


def labelled() -> list[tuple[str, str]]:
    """Every sample request with the target the catalogue sends it to: the first keyword
    target rule that applies, else the rule of its category or nearest ancestor."""
    dispatch = load("dispatch.yaml")
    rules = {rule["category"]: rule for rule in dispatch["rules"]}
    keyword_rules = [rule for rule in dispatch["keywords"] if "within" in rule]
    examples = []
    for request in load("requests.yaml")["requests"]:
        code, text = request["category"], request["text"]
        chosen = next(
            (
                rule
                for rule in keyword_rules
                if code.startswith(tuple(rule["within"])) and any(w in text for w in rule["words"])
            ),
            None,
        )
        if chosen is None:
            chosen = next(
                rules[code[:end]] for end in range(len(code), 0, -2) if code[:end] in rules
            )
        examples.append((text, target(chosen)))
    return examples


@pytest.fixture(scope="module")
def words() -> suggest.Words:
    return make_words()


@pytest.fixture(scope="module")
def examples() -> list[tuple[str, str]]:
    return labelled()


@pytest.fixture(scope="module")
def model(words: suggest.Words, examples: list[tuple[str, str]]) -> Model:
    """Trained on three quarters of the requests; every fourth one is held out."""
    return train([e for i, e in enumerate(examples) if i % 4 != 3], words=words)


def test_it_ranks_the_catalogue_target_first_for_most_held_out_requests(
    model: Model, examples: list[tuple[str, str]]
) -> None:
    held_out = [e for i, e in enumerate(examples) if i % 4 == 3]
    ranked = [[s.target for s in model.suggest(text)] for text, _target in held_out]
    first = sum(bool(r) and r[0] == t for r, (_text, t) in zip(ranked, held_out, strict=True))
    top_three = sum(t in r for r, (_text, t) in zip(ranked, held_out, strict=True))

    # Measured: 0.70 first and 0.91 among the three (240 held-out requests, 33 targets; about
    # six training examples per category, none sharing a sentence with the held-out ones). The
    # other three quarters, held out in turn, give 0.69–0.71 and 0.85–0.88.
    assert len(held_out) == 240
    assert first / len(held_out) >= 0.65
    assert top_three / len(held_out) >= 0.85


def test_suggestions_are_the_k_likeliest_targets_most_confident_first(model: Model) -> None:
    text = "市民来电反映：小区楼下的垃圾桶一直没人清运，垃圾满地，希望尽快处理。"
    three = model.suggest(text)
    everything = model.suggest(text, k=100)

    assert len(three) == 3
    assert three == everything[:3]
    assert three[0].target == "street"
    assert [s.confidence for s in everything] == sorted(
        (s.confidence for s in everything), reverse=True
    )
    assert {s.target for s in everything} == set(model.targets)
    assert sum(s.confidence for s in everything) == pytest.approx(1.0)
    assert model.suggest(text, k=1) == three[:1]


def test_a_text_without_a_known_word_gets_no_suggestion(model: Model) -> None:
    assert model.suggest("") == []
    assert model.suggest("……？！") == []
    assert model.suggest("qwxz") == []


def test_training_is_deterministic(words: suggest.Words, examples: list[tuple[str, str]]) -> None:
    some = examples[::5]
    text = "来电人咨询：公租房申请需要准备哪些材料？"

    assert train(some, words=words).suggest(text, k=5) == train(some, words=words).suggest(
        text, k=5
    )


def test_a_saved_model_loads_and_answers_the_same(
    model: Model, words: suggest.Words, tmp_path: Path
) -> None:
    path = tmp_path / "routing.joblib"
    text = "居民来电求助：家里从早上开始停水，不知道什么时候恢复。"

    model.save(path)
    loaded = Model.load(path, words=words)

    assert loaded.suggest(text) == model.suggest(text)
    assert loaded.targets == model.targets
    assert loaded.examples == model.examples == 720
    assert loaded.fingerprint == words[0].fingerprint
    assert not loaded.outdated
    assert [p.name for p in tmp_path.iterdir()] == ["routing.joblib"]  # no temporary left


def test_a_model_of_another_dictionary_is_outdated_but_still_answers(
    model: Model, tmp_path: Path
) -> None:
    path = tmp_path / "routing.joblib"
    model.save(path)

    loaded = Model.load(path, words=make_words("燃气泄漏"))

    assert loaded.outdated
    assert loaded.suggest("楼道里有燃气味")


def test_a_model_of_another_scikit_learn_is_outdated(
    model: Model, words: suggest.Words, tmp_path: Path
) -> None:
    path = tmp_path / "routing.joblib"
    model.save(path)
    joblib.dump(joblib.load(path) | {"sklearn": "0.1"}, path)

    assert Model.load(path, words=words).outdated


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a model", SuggestErrorCode.FILE_UNREADABLE),
        ({"format": suggest.FORMAT + 1}, SuggestErrorCode.OTHER_FORMAT),
        (["a list"], SuggestErrorCode.OTHER_FORMAT),
    ],
)
def test_a_file_that_is_not_a_model_of_this_format_is_refused(
    tmp_path: Path, content: object, code: SuggestErrorCode
) -> None:
    path = tmp_path / "routing.joblib"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        joblib.dump(content, path)

    with pytest.raises(SuggestError) as refused:
        Model.load(path)

    assert refused.value.code is code
    assert "请重新训练模型" in refused.value.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "none.joblib"

    with pytest.raises(SuggestError) as refused:
        Model.load(missing)

    assert refused.value.code is SuggestErrorCode.FILE_MISSING
    assert refused.value.message == f"找不到派单建议模型文件“{missing}”，请先训练模型。"


def test_training_refuses_a_single_target(
    words: suggest.Words, examples: list[tuple[str, str]]
) -> None:
    with pytest.raises(SuggestError) as refused:
        train([(text, "street") for text, _target in examples[:50]], words=words)

    assert refused.value.code is SuggestErrorCode.TOO_FEW_TARGETS
    assert refused.value.message == "训练样本至少要涉及 2 个不同的承办单位，收到 1 个。"


def test_training_refuses_too_few_examples_and_skips_empty_ones(
    words: suggest.Words, examples: list[tuple[str, str]]
) -> None:
    enough = examples[:: len(examples) // suggest.MIN_EXAMPLES][: suggest.MIN_EXAMPLES]
    blanks = [("", "street"), ("。。", "street"), ("小区垃圾没人清运", " ")]

    with pytest.raises(SuggestError) as refused:
        train(enough[1:] + blanks, words=words)

    assert refused.value.code is SuggestErrorCode.TOO_FEW_EXAMPLES
    assert refused.value.message == "训练样本太少：至少需要 20 条有内容的工单，收到 19 条。"
    assert train(enough + blanks, words=words).examples == suggest.MIN_EXAMPLES


@pytest.mark.django_db
def test_by_default_it_uses_the_current_dictionary(examples: list[tuple[str, str]]) -> None:
    model = train(examples[::8])

    assert model.fingerprint == dictionary.current()[0].fingerprint
    assert not model.outdated
    assert model.suggest("小区楼下的垃圾桶没人清运")
