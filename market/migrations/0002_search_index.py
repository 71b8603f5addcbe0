from django.db import migrations

from market.search import schema


def install(apps, schema_editor):
    schema.install(schema_editor)


def uninstall(apps, schema_editor):
    schema.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("market", "0001_listings")]

    operations = [migrations.RunPython(install, uninstall)]
