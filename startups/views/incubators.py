"""The public directory of incubators and co-working spaces; managers' occupancy page."""

urlpatterns: list = [
    # incubator_list, incubator_detail, incubator_occupancy: built by the incubators task
]
