"""Wagtail's user screens with one full-name field instead of first and last names."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

NAME_FIELDS = {"email", "full_name", "preferred_language", "is_superuser", "groups"}


class UserCreationForm(WagtailUserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=200)

    class Meta(WagtailUserCreationForm.Meta):
        fields = NAME_FIELDS


class UserEditForm(WagtailUserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=200)

    class Meta(WagtailUserEditForm.Meta):
        fields = NAME_FIELDS | {"is_active"}


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/admin/users/"

    def get_form_class(self, for_update: bool = False):
        return UserEditForm if for_update else UserCreationForm
