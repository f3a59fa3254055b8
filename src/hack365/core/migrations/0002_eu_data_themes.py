from django.db import migrations


def load_themes(apps, schema_editor):
    from hack365.core.themes import EU_DATA_THEMES

    DataTheme = apps.get_model("core", "DataTheme")
    for code, name_sv, name_en in EU_DATA_THEMES:
        DataTheme.objects.update_or_create(code=code, defaults={"name_sv": name_sv, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
