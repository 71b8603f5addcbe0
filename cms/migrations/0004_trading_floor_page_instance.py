import uuid

from django.db import migrations


def create_floor(apps, schema_editor):
    """Put the trading floor under the Vietnamese home page (demo_data adds English)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    HomePage = apps.get_model("cms", "HomePage")
    TradingFloorPage = apps.get_model("cms", "TradingFloorPage")
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is None or TradingFloorPage.objects.exists():
        return
    page_type, _ = ContentType.objects.get_or_create(app_label="cms", model="tradingfloorpage")
    TradingFloorPage.objects.create(
        title="Sàn giao dịch công nghệ",
        draft_title="Sàn giao dịch công nghệ",
        slug="san-giao-dich",
        content_type=page_type,
        path=f"{home.path}0001",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}san-giao-dich/",
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        intro="<p>Chào bán công nghệ, nhu cầu công nghệ, thiết bị và dịch vụ khoa học công nghệ "
        "của các viện, trường và doanh nghiệp.</p>",
    )
    home.numchild += 1
    home.save(update_fields=["numchild"])


def remove_floor(apps, schema_editor):
    apps.get_model("cms", "TradingFloorPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_trading_floor_page")]

    operations = [migrations.RunPython(create_floor, remove_floor)]
