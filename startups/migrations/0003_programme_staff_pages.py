from django.db import migrations

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def grant_page_permissions(apps, schema_editor):
    """Programme staff publish programmes and calls under each language's home page."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    group = Group.objects.get(name="Programme staff")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in PAGE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        for page in Page.objects.filter(depth=2):
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("startups", "0002_staff_group"),
        ("cms", "0002_home_page"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(grant_page_permissions, migrations.RunPython.noop)]
