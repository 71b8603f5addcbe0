import json
from pathlib import Path

from django.db import migrations

SECTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "sectors.json"

# Staff groups and their permissions ("app_label.codename").
STAFF_GROUPS = {
    "Curators": [
        "wagtailadmin.access_admin",
        "accounts.view_organisation",
        "accounts.change_organisation",
        "accounts.view_verificationrequest",
        "accounts.change_verificationrequest",
    ],
    "Reviewers": ["wagtailadmin.access_admin"],
    "Finance": ["wagtailadmin.access_admin", "accounts.view_organisation"],
}


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("accounts", "Sector")
    tree = json.loads(SECTORS_FILE.read_text(encoding="utf-8"))
    for position, node in enumerate(tree):
        parent, _ = Sector.objects.update_or_create(
            code=node["code"],
            defaults={"name_vi": node["vi"], "name_en": node["en"], "position": position},
        )
        for child_position, child in enumerate(node["children"]):
            Sector.objects.update_or_create(
                code=child["code"],
                defaults={
                    "name_vi": child["vi"],
                    "name_en": child["en"],
                    "parent": parent,
                    "position": child_position,
                },
            )


def create_staff_groups(apps, schema_editor):
    # Model permissions are normally created after migrate; create the few we need now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in STAFF_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            if app_label == "wagtailadmin":
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            else:
                action, model = codename.split("_", 1)
                content_type, _ = ContentType.objects.get_or_create(
                    app_label=app_label, model=model
                )
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": f"Can {action} {model}"},
                )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(load_sectors, migrations.RunPython.noop),
        migrations.RunPython(create_staff_groups, migrations.RunPython.noop),
    ]
