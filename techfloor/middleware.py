"""Project-wide middleware."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

# Wagtail's admin still relies on inline scripts and styles; our own pages do not.
ADMIN_PREFIXES = ("/admin/",)
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
