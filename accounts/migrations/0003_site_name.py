from django.db import migrations


def name_the_site(apps, schema_editor):
    """allauth's emails say the site's name; Django's default would say example.com."""
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "techfloor.local", "name": "TechFloor"})


def restore_default(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.filter(pk=1).update(domain="example.com", name="example.com")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reference_data"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, restore_default)]
