"""Load the reference data shipped in ``data/`` (topics, genres, legal bases) idempotently.

Used by a data migration (so every database has it) and by ``gongkai demo``. Only missing rows
are added; names administrators changed are kept.
"""

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def load_reference_data(*, topic_model: Any, genre_model: Any, basis_model: Any) -> int:
    """Add the missing topics, genres and legal bases; returns the number of rows created.

    Takes the model classes so that a migration can pass its historical models.
    """
    created = 0
    for order, root in enumerate(_load("topics.yaml")):
        parent, made = topic_model.objects.get_or_create(
            parent=None, name=root["name"], defaults={"sort_order": order}
        )
        created += made
        for child_order, child in enumerate(root["children"]):
            created += topic_model.objects.get_or_create(
                parent=parent, name=child, defaults={"sort_order": child_order}
            )[1]
    genres = _load("genres.yaml")
    rows = [{"name": name, "is_official": True} for name in genres["official"]]
    rows += [
        {
            "name": entry["name"],
            "is_normative": entry.get("normative", False),
            "is_interpretation": entry.get("interpretation", False),
        }
        for entry in genres["local"]
    ]
    for order, row in enumerate(rows):
        name = row.pop("name")
        created += genre_model.objects.get_or_create(
            name=name, defaults={**row, "sort_order": order}
        )[1]
    for order, basis in enumerate(_load("legal_bases.yaml")):
        code = basis.pop("code")
        created += basis_model.objects.get_or_create(
            code=code, defaults={**basis, "sort_order": order}
        )[1]
    return created
