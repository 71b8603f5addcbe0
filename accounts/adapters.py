"""allauth customisation: language after login, and who may sign up through social login."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest
from django.urls import translate_url


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Land in the person's preferred language, whatever the login page's language."""
        url = super().get_login_redirect_url(request)
        return translate_url(url, request.user.preferred_language)

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name = data.get("full_name", "").strip()
        user.preferred_language = data.get("preferred_language") or request.LANGUAGE_CODE
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        """Keep the name the provider knows (ORCID, Google) as the full name."""
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = name.strip()
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "vi")
        return user
