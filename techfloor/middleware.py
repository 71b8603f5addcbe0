"""Project-wide middleware."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Wagtail's admin still relies on inline scripts and styles; our own pages do not.
ADMIN_PREFIXES = ("/admin/",)
# Addresses outside the language prefixes whose answers are data, not pages.
UNPREFIXED_PREFIXES = ("/api/", "/open-data/")
ADMIN_POLICY_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    # The page editor frames its own preview.
    "frame-ancestors": [SELF],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict site policy everywhere, relaxed for inline code in the Wagtail admin only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.replace = {**(parts.replace or {}), **ADMIN_POLICY_REPLACE}
        return parts


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 from the API or the open data stays a 404: Django would
    redirect it to /vi/api/…, which Wagtail's catch-all page route always accepts."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
