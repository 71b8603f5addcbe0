"""Models of the cms room, one module per subject."""

from cms.models.pages import HomePage, TradingFloorPage, listing_json_ld

__all__ = ["HomePage", "TradingFloorPage", "listing_json_ld"]
