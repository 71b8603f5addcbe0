from django.db import migrations

EXPERT_PERMISSIONS = ("view_expert", "add_expert", "change_expert")


def grant_expert_permissions(apps, schema_editor):
    """Programme staff keep experts' profiles in the admin and see every section of them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="Programme staff")
    content_type, _ = ContentType.objects.get_or_create(app_label="startups", model="expert")
    for codename in EXPERT_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("startups", "0007_surveys")]

    operations = [migrations.RunPython(grant_expert_permissions, migrations.RunPython.noop)]
