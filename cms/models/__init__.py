"""Models of the cms room, one module per subject."""

from cms.models.events import (
    EventIndexPage,
    EventPage,
    EventRegistration,
    Meeting,
    MeetingBooking,
    MeetingSlot,
)
from cms.models.kpi import KpiTarget, StatisticsPage, report_year
from cms.models.pages import HomePage, TradingFloorPage, listing_json_ld

__all__ = [
    "EventIndexPage",
    "EventPage",
    "EventRegistration",
    "Meeting",
    "MeetingBooking",
    "MeetingSlot",
    "HomePage",
    "KpiTarget",
    "StatisticsPage",
    "TradingFloorPage",
    "listing_json_ld",
    "report_year",
]

from cms.models.directories import DirectoryPage  # noqa: E402
from cms.models.navigation import NavigationSettings  # noqa: E402
from cms.models.search import SiteSearchPage  # noqa: E402

__all__ += ["DirectoryPage", "NavigationSettings", "SiteSearchPage"]

from cms.models.news import ArticleAuthor, ArticlePage, ArticleTag, Author, NewsIndexPage  # noqa: E402
from cms.models.standard import StandardPage  # noqa: E402

__all__ += ["ArticleAuthor", "ArticlePage", "ArticleTag", "Author", "NewsIndexPage", "StandardPage"]
