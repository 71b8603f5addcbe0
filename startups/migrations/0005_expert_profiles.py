from django.db import migrations, models

from techfloor.text import fold


def fill_search_text(apps, schema_editor):
    """Experts saved before the search column existed become findable."""
    Expert = apps.get_model("startups", "Expert")
    for expert in Expert.objects.select_related("user"):
        expert.search_text = fold(
            " ".join((expert.user.full_name, expert.headline, expert.expertise))
        )
        expert.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("startups", "0004_incubator_upgrades"),
    ]

    operations = [
        migrations.AddField(
            model_name="expert",
            name="academic_title",
            field=models.CharField(
                blank=True,
                choices=[
                    ("associate_professor", "Associate professor"),
                    ("professor", "Professor"),
                ],
                max_length=24,
                verbose_name="academic title",
            ),
        ),
        migrations.AddField(
            model_name="expert",
            name="availability",
            field=models.CharField(
                choices=[
                    ("available", "Available"),
                    ("limited", "Limited availability"),
                    ("unavailable", "Not available at the moment"),
                ],
                default="available",
                max_length=12,
                verbose_name="availability",
            ),
        ),
        migrations.AddField(
            model_name="expert",
            name="degrees",
            field=models.JSONField(blank=True, default=list, verbose_name="degrees"),
        ),
        migrations.AddField(
            model_name="expert",
            name="field_of_science",
            field=models.CharField(
                blank=True,
                help_text="As classified by Decision 12/2008/QĐ-BKHCN.",
                max_length=3,
                verbose_name="field of science",
            ),
        ),
        migrations.AddField(
            model_name="expert",
            name="languages",
            field=models.JSONField(blank=True, default=list, verbose_name="languages"),
        ),
        migrations.AddField(
            model_name="expert",
            name="orcid",
            field=models.CharField(
                blank=True,
                help_text="Typed by hand it is shown as unverified; connect ORCID to verify it.",
                max_length=19,
                verbose_name="ORCID iD",
            ),
        ),
        migrations.AddField(
            model_name="expert",
            name="patents",
            field=models.JSONField(blank=True, default=list, verbose_name="patents"),
        ),
        migrations.AddField(
            model_name="expert",
            name="publications",
            field=models.JSONField(blank=True, default=list, verbose_name="publications"),
        ),
        migrations.AddField(
            model_name="expert",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="expert",
            name="transfers",
            field=models.JSONField(
                blank=True, default=list, verbose_name="past technology transfers"
            ),
        ),
        migrations.AddField(
            model_name="expert",
            name="visibility",
            field=models.JSONField(blank=True, default=dict, verbose_name="who sees each section"),
        ),
        migrations.AddConstraint(
            model_name="expert",
            constraint=models.CheckConstraint(
                condition=models.Q(("availability__in", ["available", "limited", "unavailable"])),
                name="expert_availability_known",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
