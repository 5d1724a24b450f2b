"""The rates rollup (decision 0008, "Rates rollup"): each order's stored facts and the monthly
tally, filled from the existing orders."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Fill the facts and the tally with the service's own rebuild. It uses the current models,
    so it runs only where there are orders to count: databases migrated with this release (a
    new database has none and skips it)."""
    if not apps.get_model("hotline", "WorkOrder").objects.exists():
        return
    from gongkai.hotline.services import rates_rebuild

    rates_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_seed_calendar_and_audit_head"),
        ("hotline", "0004_citizen_rating"),
        ("orgs", "0002_name_history_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="workorder",
            name="responded_in_time",
            field=models.BooleanField(default=False, editable=False, verbose_name="按时签收"),
        ),
        migrations.AddField(
            model_name="workorder",
            name="callback_resolved",
            field=models.BooleanField(default=False, editable=False, verbose_name="回访已解决"),
        ),
        migrations.AddField(
            model_name="workorder",
            name="callback_satisfaction",
            field=models.CharField(
                blank=True,
                choices=[
                    ("satisfied", "满意"),
                    ("basic", "基本满意"),
                    ("dissatisfied", "不满意"),
                ],
                editable=False,
                max_length=20,
                verbose_name="回访满意度",
            ),
        ),
        migrations.CreateModel(
            name="MonthlyTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="月份")),
                ("orders", models.IntegerField(default=0, verbose_name="工单数")),
                ("responded", models.IntegerField(default=0, verbose_name="按时签收数")),
                ("called_back", models.IntegerField(default=0, verbose_name="回访数")),
                ("resolved", models.IntegerField(default=0, verbose_name="解决数")),
                ("satisfied", models.IntegerField(default=0, verbose_name="满意数")),
                ("basic", models.IntegerField(default=0, verbose_name="基本满意数")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="主办单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "考核月度统计",
                "verbose_name_plural": "考核月度统计",
                "ordering": ["month", "organisation"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "organisation"), name="hotline_tally_once"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
