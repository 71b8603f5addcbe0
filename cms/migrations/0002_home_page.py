import uuid

from django.db import migrations


def create_home_page(apps, schema_editor):
    """Replace Wagtail's welcome page with our home page, in the default (Vietnamese) locale."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    locale = Locale.objects.order_by("pk").first()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Sàn giao dịch công nghệ và thiết bị",
        draft_title="Sàn giao dịch công nghệ và thiết bị",
        hero_title="Sàn giao dịch công nghệ và thiết bị",
        hero_text=(
            "Nơi kết quả nghiên cứu, thiết bị và dịch vụ khoa học công nghệ gặp nhu cầu đổi mới "
            "của doanh nghiệp, do Trung tâm Đổi mới sáng tạo kết nối."
        ),
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="TechFloor"
    )


def remove_home_page(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
