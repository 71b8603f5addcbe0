"""The search form of the trading floor: the floor page and saved searches read it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from market.models import Listing
from market.search.base import PRICE_BANDS, SORTS, SearchFilters


class SearchForm(forms.Form):
    """The public search: every value is checked against its choices."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(choices=[("", "")] + Listing.Kind.choices, required=False)
    sector = forms.SlugField(required=False)
    province = forms.ChoiceField(choices=[("", "")] + Province.choices, required=False)
    trl = forms.TypedChoiceField(
        choices=[("", "")] + [(str(n), str(n)) for n in range(1, 10)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    ip_status = forms.ChoiceField(choices=[("", "")] + Listing.IPStatus.choices, required=False)
    transfer_mode = forms.ChoiceField(
        choices=[("", "")] + Listing.TransferMode.choices, required=False
    )
    price_band = forms.ChoiceField(
        choices=[("", "")] + [(code, label) for code, label, *_rest in PRICE_BANDS],
        required=False,
    )
    language = forms.ChoiceField(choices=[("", "")] + Listing.Language.choices, required=False)
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            kind=data.get("kind", ""),
            sector=data.get("sector", ""),
            province=data.get("province", ""),
            trl=data.get("trl"),
            ip_status=data.get("ip_status", ""),
            transfer_mode=data.get("transfer_mode", ""),
            price_band=data.get("price_band", ""),
            language=data.get("language", ""),
        )
