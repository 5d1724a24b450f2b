from django.db import migrations


def load(apps, schema_editor):
    from gongkai.foi.letters import load_letter_templates

    load_letter_templates(apps.get_model("foi", "LetterTemplate"))


class Migration(migrations.Migration):
    dependencies = [("foi", "0002_letters")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
