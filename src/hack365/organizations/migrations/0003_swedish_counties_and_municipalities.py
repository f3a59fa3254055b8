"""Load Sweden's 21 counties and 290 municipalities (SCB codes) from geo.py.

Re-running is safe (update_or_create); reversing leaves the rows in place,
since organisations and profiles may point at them."""

from django.db import migrations


def load_geography(apps, schema_editor):
    from hack365.organizations.geo import COUNTIES, MUNICIPALITIES

    County = apps.get_model("organizations", "County")
    Municipality = apps.get_model("organizations", "Municipality")
    counties = {}
    for code, name in COUNTIES:
        counties[code], _created = County.objects.update_or_create(
            code=code, defaults={"name": name}
        )
    for code, name in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "county": counties[code[:2]]}
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_organization_search_text")]
    operations = [migrations.RunPython(load_geography, migrations.RunPython.noop)]
