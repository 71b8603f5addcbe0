"""Connection events: registration, payment of the fee, B2B meetings and their outcomes."""
