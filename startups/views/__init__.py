"""Pages of startup support outside the Wagtail admin: one module per audience."""
