"""An order's identity in its channel (an e-mail's Message-ID), received once."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0005_rates_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="workorder",
            name="source_ref",
            field=models.CharField(
                blank=True, editable=False, max_length=250, verbose_name="来源标识"
            ),
        ),
        migrations.AddConstraint(
            model_name="workorder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_ref", ""), _negated=True),
                fields=("channel", "source_ref"),
                name="hotline_order_received_once",
            ),
        ),
    ]
