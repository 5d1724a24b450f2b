"""Load the built-in holiday data (2004 onward); create the one-row tables (calendar revision,
audit chain head)."""

import uuid

from django.db import migrations

from gongkai.core.audit import GENESIS_HASH
from gongkai.core.calendar_data import seed_missing_years


def forwards(apps, schema_editor):
    seed_missing_years(
        day_model=apps.get_model("core", "CalendarDay"),
        year_model=apps.get_model("core", "CalendarYear"),
    )
    apps.get_model("core", "CalendarRevision").objects.get_or_create(
        pk=1, defaults={"token": uuid.uuid4()}
    )
    apps.get_model("core", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
