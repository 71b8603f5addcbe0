from django.db import migrations

# "Programme staff" run calls, screen applications, assign reviewers, record council decisions,
# manage agreements and allocate incubator places; "Finance" releases disbursements.
GROUPS = {
    "Programme staff": [
        ("wagtailadmin", "admin", "access_admin"),
        ("startups", "application", "view_application"),
        ("startups", "application", "change_application"),
        ("startups", "councilsession", "view_councilsession"),
        ("startups", "councilsession", "change_councilsession"),
        ("startups", "supportagreement", "view_supportagreement"),
        ("startups", "supportagreement", "change_supportagreement"),
        ("startups", "incubator", "view_incubator"),
        ("startups", "incubator", "change_incubator"),
        ("startups", "seatallocation", "add_seatallocation"),
    ],
    "Finance": [
        ("startups", "supportagreement", "view_supportagreement"),
        ("startups", "disbursement", "add_disbursement"),
    ],
}


def create_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("startups", "0001_startup_support"),
        ("accounts", "0002_reference_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
