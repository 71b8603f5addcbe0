import datetime

from django.db import migrations

CURATOR_PERMISSIONS = [
    "view_listing",
    "change_listing",
    "view_introduction",
    "change_introduction",
    "view_deal",
    "change_deal",
    "view_ndaversion",
]

NDA_VI = """THỎA THUẬN BẢO MẬT THÔNG TIN (phiên bản 1)

1. Bên nhận thông tin cam kết chỉ sử dụng các thông tin mật được chia sẻ qua TechFloor để đánh giá khả năng hợp tác, chuyển giao công nghệ với bên cung cấp.
2. Không tiết lộ thông tin mật cho bên thứ ba khi chưa có sự đồng ý bằng văn bản của bên cung cấp, trừ trường hợp pháp luật yêu cầu.
3. Nghĩa vụ bảo mật có hiệu lực trong 03 năm kể từ ngày giới thiệu được phê duyệt.
4. Trung tâm Đổi mới sáng tạo ghi nhận thời điểm chấp nhận thỏa thuận này và lưu vết giao dịch."""

NDA_EN = """NON-DISCLOSURE AGREEMENT (version 1)

1. The receiving party uses the confidential information shared through TechFloor only to assess cooperation or technology transfer with the disclosing party.
2. It does not disclose the information to third parties without the disclosing party's written consent, unless the law requires it.
3. The obligation lasts three years from the day the introduction is approved.
4. The Innovation Center records when this agreement was accepted and keeps the trail."""


def load(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    NdaVersion = apps.get_model("market", "NdaVersion")
    NdaVersion.objects.get_or_create(
        version="1",
        defaults={
            "text_vi": NDA_VI,
            "text_en": NDA_EN,
            "in_force_from": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )
    curators, _ = Group.objects.get_or_create(name="Curators")
    for codename in CURATOR_PERMISSIONS:
        action, model = codename.split("_", 1)
        content_type, _ = ContentType.objects.get_or_create(app_label="market", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename,
            defaults={"name": f"Can {action} {model}"},
        )
        curators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("market", "0002_search_index"), ("accounts", "0003_site_name")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
