"""A jury member's account can no longer be erased with their scores and
conflict declarations (see ``Juror``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="juror",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="jury_roles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
    ]
