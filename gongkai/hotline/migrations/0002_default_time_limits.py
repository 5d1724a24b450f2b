from django.db import migrations

# Default time limits of work orders. Beijing's own figures were not found in a primary source
# (regulatory-facts §4.2 [X]); these follow the commonly cited practice — emergencies (risk to
# life or property) 2 hours, urgent utility outages (水电气热) 24 hours, general requests
# 7 days, complex ones 15 days — and are edited in the admin (办理时限).
DEFAULTS = (
    ("emergency", False, 2, "hours"),
    ("urgent", False, 24, "hours"),
    ("normal", False, 7, "calendar_days"),
    ("normal", True, 15, "calendar_days"),
)


def forwards(apps, schema_editor):
    rule = apps.get_model("hotline", "TimeLimitRule")
    for urgency, complex_, amount, unit in DEFAULTS:
        rule.objects.get_or_create(
            urgency=urgency,
            complex=complex_,
            request_type="",
            defaults={"amount": amount, "unit": unit},
        )


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
