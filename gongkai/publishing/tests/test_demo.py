"""The demo documents: what ``gongkai demo`` publishes, and that a second run changes nothing.

The demo is loaded once for the module (without the corpus: its template paragraphs), inside a
transaction rolled back at the end. The seed text and the corpus live beside the repository
(``../shared/``); the tests that read them skip, saying so, when they are absent.
"""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from gongkai.accounts.demo import load_demo_accounts
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Organisation
from gongkai.publishing import demo
from gongkai.publishing.demo import BodyWriter, DemoReport, Planned, demo_documents, demo_material
from gongkai.publishing.library import public_documents
from gongkai.publishing.models import (
    Disclosure,
    Document,
    DocumentVersion,
    GazetteEntry,
    GazetteIssue,
    Genre,
    Interpretation,
    Status,
    Topic,
    Validity,
)

pytestmark = pytest.mark.usefixtures("beijing")

NO_CORPUS = Path("/nonexistent/laws-zh.jsonl.gz")
SEED_MISSING = f"the seed text {demo.SEED_TEXT} is absent"
CORPUS_MISSING = f"the corpus {demo.CORPUS} is absent: bodies from it are not tested"
SEED = demo.SEED_TEXT if demo.SEED_TEXT.is_file() else None


@pytest.fixture(scope="module")
def _demo_loaded(_beijing_loaded: None, django_db_blocker: Any) -> Iterator[DemoReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_accounts()
        yield demo_documents(seed_text=SEED, corpus=NO_CORPUS)
        transaction.set_rollback(True)


@pytest.fixture
def loaded(_demo_loaded: DemoReport, db: None) -> DemoReport:
    """The report of the module's demo run."""
    return _demo_loaded


def counts() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "versions": DocumentVersion.objects.count(),
        "interpretations": Interpretation.objects.count(),
        "issues": GazetteIssue.objects.count(),
        "entries": GazetteEntry.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_the_material_names_known_organisations_topics_and_genres() -> None:
    material = demo_material()
    codes = set(Organisation.objects.values_list("code", flat=True))
    topics = {str(topic).replace(" / ", "/") for topic in Topic.objects.select_related("parent")}

    genres = set(Genre.objects.values_list("name", flat=True))

    assert {row["code"] for row in material["issuers"]} <= codes
    assert set(material["titles"]) | set(material["summaries"]) <= genres
    for subject in material["subjects"]:
        assert subject["topic"] in topics, subject["name"]
        assert set(subject["issuers"]) <= {row["code"] for row in material["issuers"]}


def test_the_demo_covers_organisations_genres_years_and_the_gazette(
    loaded: DemoReport,
) -> None:
    assert "使用 data/demo.yaml 中的模板段落" in str(loaded)
    assert loaded.imported == Document.objects.count() >= 300
    assert (loaded.revised, loaded.withdrawn, loaded.replaced) == (5, 1, 6)
    documents = Document.objects.all()
    genres = Counter(documents.values_list("genre__name", flat=True))
    assert genres["规范性文件"] >= 30
    assert genres["解读"] == Interpretation.objects.count() >= 25
    assert Interpretation.objects.filter(form="leader").exclude(leader_name="").exists()
    assert len({day.year for day in documents.values_list("written_on", flat=True)}) == 11
    assert documents.values("organisation").distinct().count() >= 40
    # 48 issues of two documents each, all public.
    assert GazetteIssue.objects.count() == 48
    assert set(Counter(GazetteEntry.objects.values_list("issue", flat=True)).values()) == {2}
    listed = GazetteEntry.objects.values_list("document", flat=True)
    assert public_documents().filter(pk__in=listed).count() == 96
    # Every document came through the audited import.
    imports = AuditEvent.objects.filter(action="publishing.document.import")
    assert imports.count() == loaded.imported


def test_the_demo_has_validity_links_revisions_a_withdrawal_and_hidden_documents(
    loaded: DemoReport,
) -> None:
    documents = Document.objects.all()
    replaced = documents.filter(validity__in=[Validity.REPEALED, Validity.AMENDED])
    assert replaced.count() == 6
    assert not replaced.filter(replaced_by=None).exists()
    assert documents.filter(validity=Validity.EXPIRED).exists()
    revised = documents.filter(version=2, status=Status.PUBLISHED)
    assert revised.count() == 5
    assert DocumentVersion.objects.filter(document__in=revised).count() == 10
    assert documents.filter(status=Status.WITHDRAWN).count() == 1
    hidden = documents.exclude(disclosure=Disclosure.PROACTIVE)
    assert hidden.count() == 6
    assert not public_documents().filter(pk__in=hidden.values("pk")).exists()


def test_the_author_is_the_organisation_s_demo_handler_else_the_openness_office(
    loaded: DemoReport,
) -> None:
    def authors(code: str) -> set[str]:
        documents = Document.objects.filter(organisation__code=code)
        return set(documents.values_list("created_by__username", flat=True))

    assert authors("110000-FGW") == {"fgw_jb"}
    assert authors("110101") == {"dc_jb"}
    assert authors("110000-BGT") == {"gkb"}


def test_without_the_corpus_bodies_use_the_template_paragraphs(loaded: DemoReport) -> None:
    opening = demo.fill(demo_material()["paragraphs"][1], subject="", place="").split("，")[0]

    assert any(opening in body for body in Document.objects.values_list("body", flat=True))


def test_a_second_run_changes_nothing(loaded: DemoReport) -> None:
    before = counts()

    again = demo_documents(seed_text=SEED, corpus=NO_CORPUS)

    assert counts() == before
    assert (again.imported, again.existing) == (0, loaded.imported)
    assert (again.revised, again.withdrawn, again.replaced) == (0, 0, 0)
    assert "正文来源" not in str(again)  # nothing was missing: the corpus was not even read


def test_without_the_seed_text_the_demo_says_so(loaded: DemoReport) -> None:
    before = counts()

    report = demo_documents(seed_text=Path("/nonexistent/seed.txt"), corpus=NO_CORPUS)

    assert "未找到种子文件 /nonexistent/seed.txt，未发布《北京市2018年政务公开工作要点》。" in str(
        report
    )
    assert counts() == before


@pytest.mark.skipif(not demo.SEED_TEXT.is_file(), reason=SEED_MISSING)
def test_the_seed_text_is_published_as_the_offices_notice(loaded: DemoReport) -> None:
    assert "未找到种子文件" not in str(loaded)
    seed = Document.objects.get(title="北京市2018年政务公开工作要点")
    assert (seed.organisation.code, seed.genre.name, str(seed.topic), seed.doc_no) == (
        "110000-BGT",
        "通知",
        "综合政务 / 政务公开",
        "",
    )
    assert seed.written_on.isoformat() == "2018-05-11"
    assert seed.created_by.username == "gkb"
    assert seed.body.startswith("<p>各区人民政府,市政府各委、办、局,各市属机构:</p>")
    assert "<h2>北京市2018年政务公开工作要点</h2>" in seed.body
    assert seed.body.count("<h3>") == 6
    assert "声明" not in seed.body
    assert "来源" not in seed.body
    assert "eshian" not in seed.body
    assert seed.summary.startswith("部署2018年全市政务公开工作：加强政府重点工作信息公开；")


def test_the_seed_document_drops_the_copy_s_source_line_and_notice() -> None:
    organisations = {"110000-BGT": Organisation.objects.get(code="110000-BGT")}
    text = "\n".join(
        [
            "来源: 北京市人民政府 更新时间:2018-09-10",
            "各区人民政府:",
            "北京市2018年政务公开工作要点",
            "一、加强解读回应",
            "正文<段落>。",
            "声明:",
            "① 本网站所有文章版权所有",
        ]
    )

    planned = demo.seed_document(text, organisations)

    assert planned.body == "\n".join(
        [
            "<p>各区人民政府:</p>",
            "<h2>北京市2018年政务公开工作要点</h2>",
            "<h3>一、加强解读回应</h3>",
            "<p>正文&lt;段落&gt;。</p>",
        ]
    )
    assert planned.summary == "部署2018年全市政务公开工作：加强解读回应。"
    assert not planned.numbered


@pytest.mark.skipif(not demo.CORPUS.is_file(), reason=CORPUS_MISSING)
def test_bodies_take_sentences_of_matching_beijing_and_national_texts() -> None:
    texts = demo.read_corpus(demo.CORPUS)
    organisation = Organisation.objects.get(code="110000-BGT")
    planned = Planned(
        organisation=organisation,
        title="关于做好政务公开工作的通知",
        genre="通知",
        topic="综合政务/政务公开",
        written_on=demo.SEED_WRITTEN_ON,
        published_at=demo.timezone.now(),
        summary="",
        subject="政务公开",
        keywords=("政府信息公开",),
        index_no="110000-BGT/2018-00099",
    )

    body = BodyWriter(texts).body(planned, signature="北京市人民政府办公厅")

    assert {text.region for text in texts} == {"北京", "全国"}
    sentences = [sentence for text in texts for sentence in text.sentences]
    assert all(sentence.endswith("。") for sentence in sentences)
    assert not any("本条例" in sentence or "罚款" in sentence for sentence in sentences)
    matching = {s for text in texts if "政府信息公开" in text.title for s in text.sentences}
    paragraphs = [p for p in body.split("\n") if p.startswith("<p>")][2:-3]
    assert paragraphs
    for paragraph in paragraphs:
        first_sentence = paragraph.removeprefix("<p>").split("。")[0] + "。"
        assert first_sentence in matching
    assert body.endswith("<p>北京市人民政府办公厅</p>\n<p>2018年5月11日</p>")
