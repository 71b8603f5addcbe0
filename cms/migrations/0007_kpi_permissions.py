from django.db import migrations

# Programme staff keep the province's yearly targets and report on them; curators follow them.
GRANTS = {
    "Programme staff": ("view_kpitarget", "add_kpitarget", "change_kpitarget", "delete_kpitarget"),
    "Curators": ("view_kpitarget",),
}


def grant_kpi_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model="kpitarget")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_events"),
        ("accounts", "0002_reference_data"),
        ("startups", "0002_staff_group"),
    ]

    operations = [migrations.RunPython(grant_kpi_permissions, migrations.RunPython.noop)]
