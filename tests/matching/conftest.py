import pytest

from market.models import Listing
from tests.factories import PublishedListingFactory


@pytest.fixture
def need(db):
    return PublishedListingFactory(
        kind=Listing.Kind.NEED,
        title="Cần công nghệ sấy lạnh sầu riêng xuất khẩu",
        summary="Doanh nghiệp cần giữ màu và hương của sầu riêng sấy",
        keywords=["sấy lạnh", "sầu riêng"],
        description="<p>Sản lượng 2 tấn mỗi mẻ.</p>",
        problem="Sấy nóng làm mất màu.",
        trl=6,
        price_min=None,
        price_max=800_000_000,
        transfer_modes=["license", "assignment"],
    )


@pytest.fixture
def offer(db):
    return PublishedListingFactory(
        title="Công nghệ sấy lạnh sầu riêng giữ màu tự nhiên",
        summary="Sấy lạnh ở nhiệt độ thấp cho sầu riêng và trái cây",
        keywords=["sấy lạnh", "trái cây"],
        trl=7,
        price_min=500_000_000,
        price_max=700_000_000,
    )


@pytest.fixture
def unrelated(db):
    return PublishedListingFactory(
        title="Phần mềm quản lý nhân sự",
        summary="Chấm công và tính lương",
        keywords=["nhân sự"],
        description="<p>Phần mềm.</p>",
        problem="",
    )
