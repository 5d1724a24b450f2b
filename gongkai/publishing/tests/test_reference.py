import pytest

from gongkai.publishing.models import Genre, LegalBasis, Topic
from gongkai.publishing.reference import load_reference_data

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_reference_data():
    assert Topic.objects.filter(parent=None).count() == 22
    assert Topic.objects.get(name="农业、畜牧业、渔业").parent.name == "农业、林业、水利"
    assert Genre.objects.filter(is_official=True).count() == 15
    assert Genre.objects.get(is_normative=True).name == "规范性文件"
    assert Genre.objects.get(is_interpretation=True).name == "解读"
    assert set(LegalBasis.objects.values_list("attribute", flat=True)) == {"withheld", "on_request"}


def test_loading_again_changes_nothing():
    before = (Topic.objects.count(), Genre.objects.count(), LegalBasis.objects.count())
    assert load_reference_data(topic_model=Topic, genre_model=Genre, basis_model=LegalBasis) == 0
    assert (Topic.objects.count(), Genre.objects.count(), LegalBasis.objects.count()) == before
