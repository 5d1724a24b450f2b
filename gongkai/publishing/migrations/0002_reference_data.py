from django.db import migrations


def load(apps, schema_editor):
    from gongkai.publishing.reference import load_reference_data

    load_reference_data(
        topic_model=apps.get_model("publishing", "Topic"),
        genre_model=apps.get_model("publishing", "Genre"),
        basis_model=apps.get_model("publishing", "LegalBasis"),
    )


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
