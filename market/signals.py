"""Domain events of the trading floor, sent after commit; higher rooms (matching) listen."""

from django.dispatch import Signal

# Sent with ``listing_id``: a listing entered the floor or changed while on it.
listing_published = Signal()
# Sent with ``listing_id``: a listing left the floor (withdrawn, closed, expired, revised).
listing_unpublished = Signal()
