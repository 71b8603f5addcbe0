"""Demo content of the public site: the "about" page and a few news articles in Vietnamese,
with an author and pictures drawn here (no file to ship, nothing fetched). Called by
``manage.py demo_data``; every page is found by its slug, so running it again adds nothing."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image

from cms.blocks import StandardStreamBlock
from cms.models import ArticleAuthor, ArticlePage, Author, HomePage, NewsIndexPage, StandardPage

AUTHOR = ("Ban Truyền thông", "Trung tâm Đổi mới sáng tạo tỉnh")
# (slug, title, day, intro, paragraphs, tags, colour, alt text)
ARTICLES = [
    (
        "ky-ket-12-hop-dong-chuyen-giao",
        "Mười hai hợp đồng chuyển giao công nghệ được ký tại phiên kết nối tháng Mười",
        datetime.date(2026, 10, 16),
        "Doanh nghiệp chế biến nông sản và các viện nghiên cứu ký 12 hợp đồng, tổng giá trị "
        "hơn 9 tỷ đồng.",
        [
            "Phiên kết nối cung cầu công nghệ chế biến sau thu hoạch do Trung tâm Đổi mới sáng "
            "tạo tổ chức đã thu hút 46 doanh nghiệp và 11 viện, trường.",
            "Các công nghệ được quan tâm nhất là sấy bơm nhiệt, cấp đông nhanh IQF và bảo quản "
            "trái cây bằng màng bao ăn được.",
        ],
        ["Chuyển giao công nghệ", "Kết nối cung cầu"],
        (11, 85, 99),
        "Đại diện doanh nghiệp và viện nghiên cứu ký hợp đồng tại hội trường",
    ),
    (
        "mo-dot-ho-tro-khoi-nghiep-2026",
        "Mở đợt hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm 2026",
        datetime.date(2026, 9, 2),
        "Các nhóm khởi nghiệp và doanh nghiệp dưới 5 năm tuổi nộp hồ sơ trực tuyến trên sàn.",
        [
            "Mỗi dự án được hỗ trợ tối đa 300 triệu đồng cho thử nghiệm sản phẩm mẫu, đào tạo "
            "và tư vấn sở hữu trí tuệ.",
            "Hồ sơ được hội đồng chuyên gia đánh giá độc lập; kết quả công bố trên trang của "
            "chương trình.",
        ],
        ["Khởi nghiệp", "Chính sách hỗ trợ"],
        (176, 90, 30),
        "Nhóm khởi nghiệp trình bày sản phẩm mẫu trước hội đồng",
    ),
    (
        "phong-thi-nghiem-dung-chung",
        "Ba phòng thí nghiệm mở cửa cho doanh nghiệp dùng chung thiết bị",
        datetime.date(2026, 8, 20),
        "Máy đo quang phổ, tủ khí hậu và thiết bị hiệu chuẩn được đăng trên sàn để doanh "
        "nghiệp đặt lịch sử dụng.",
        [
            "Doanh nghiệp nhỏ và vừa được giảm 50% phí sử dụng thiết bị trong năm đầu.",
        ],
        ["Thiết bị dùng chung", "Kết nối cung cầu"],
        (46, 110, 60),
        "Kỹ thuật viên vận hành máy đo quang phổ trong phòng thí nghiệm",
    ),
]
ABOUT = {
    "slug": "gioi-thieu",
    "title": "Giới thiệu",
    "intro": "Sàn giao dịch công nghệ và thiết bị của tỉnh do Trung tâm Đổi mới sáng tạo vận hành.",
    "body": [
        {"type": "heading", "value": {"text": "Sàn làm gì", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>Viện nghiên cứu và trường đại học đăng kết quả nghiên cứu, thiết bị và "
            "dịch vụ khoa học công nghệ; doanh nghiệp đăng nhu cầu công nghệ. Trung tâm kết nối "
            "hai bên và theo dõi đến khi ký hợp đồng.</p>",
        },
        {
            "type": "quote",
            "value": {
                "text": "Kết quả nghiên cứu chỉ có giá trị khi đến được nhà máy và cánh đồng.",
                "attribution": "Giám đốc Trung tâm Đổi mới sáng tạo",
            },
        },
        {
            "type": "table",
            "value": {
                "caption": "Dịch vụ của Trung tâm",
                "columns": [
                    {"type": "text", "heading": "Dịch vụ"},
                    {"type": "text", "heading": "Thời gian"},
                ],
                "rows": [
                    {"values": ["Định giá công nghệ", "15 ngày làm việc"]},
                    {"values": ["Thử nghiệm và hiệu chuẩn", "5 ngày làm việc"]},
                    {"values": ["Hỗ trợ đăng ký sở hữu trí tuệ", "30 ngày làm việc"]},
                ],
            },
        },
    ],
}
NEWS = {
    "slug": "tin-tuc",
    "title": "Tin tức",
    "intro": "<p>Tin hoạt động của sàn và Trung tâm.</p>",
}
# English fields for the pages above, which demo_data's English step copies.
ENGLISH_PAGES = {
    "gioi-thieu": {
        "title": "About us",
        "slug": "about",
        "intro": "The province's technology and equipment trading floor, run by the Innovation "
        "Center.",
    },
    "tin-tuc": {
        "title": "News",
        "slug": "news",
        "intro": "<p>News of the floor and the Center.</p>",
    },
}


def drawn_image(*, title: str, colour: tuple[int, int, int]) -> Image:
    """A picture drawn with Pillow: a coloured field with a few shapes, found by its title."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    picture = PillowImage.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(picture)
    light = tuple(min(255, value + 90) for value in colour)
    draw.ellipse((780, 120, 1140, 480), fill=light)
    draw.rectangle((80, 420, 700, 600), fill=(255, 255, 255))
    draw.rectangle((120, 460, 520, 500), fill=colour)
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="demo.png"))


def _published(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_demo_pages(*, home: HomePage) -> None:
    """The "about" page, the news index and its articles, each created once."""
    if not StandardPage.objects.child_of(home).filter(slug=ABOUT["slug"]).exists():
        about = dict(ABOUT, body=StandardStreamBlock().to_python(ABOUT["body"]))
        _published(home, StandardPage(**about))
    news = NewsIndexPage.objects.child_of(home).first() or _published(home, NewsIndexPage(**NEWS))
    author = Author.objects.filter(name=AUTHOR[0]).first() or Author.objects.create(
        name=AUTHOR[0],
        role=AUTHOR[1],
        photo=drawn_image(title="Biểu trưng Ban Truyền thông", colour=(11, 85, 99)),
    )
    for slug, title, day, intro, paragraphs, tags, colour, alt in ARTICLES:
        if ArticlePage.objects.child_of(news).filter(slug=slug).exists():
            continue
        body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
        article = ArticlePage(
            slug=slug,
            title=title,
            date=day,
            intro=intro,
            main_image=drawn_image(title=title, colour=colour),
            main_image_alt=alt,
            body=StandardStreamBlock().to_python(body),
        )
        article.tags.add(*tags)
        article.article_authors = [ArticleAuthor(author=author)]
        _published(news, article)
