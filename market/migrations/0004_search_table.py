from django.db import migrations

from market.search import schema


def install(apps, schema_editor):
    """PostgreSQL moves its index from the listing rows to ``market_listing_search``."""
    schema.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("market", "0003_reference_data")]

    # Going back leaves the new table: migration 0002's reverse removes every index.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
