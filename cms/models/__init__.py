"""Models of the cms room, one module per subject."""

from cms.models.pages import (
    HomePage,
    KpiTarget,
    StatisticsPage,
    TradingFloorPage,
    listing_json_ld,
    report_year,
)

__all__ = [
    "HomePage",
    "KpiTarget",
    "StatisticsPage",
    "TradingFloorPage",
    "listing_json_ld",
    "report_year",
]
