"""Container health check: ask the local gunicorn for /healthz/ as a proxied HTTPS request.

Run as ``python -m techfloor.healthcheck``; exits non-zero when the site or its database
does not answer. Uses the first allowed host, since Django refuses unknown Host headers.
"""

import os
import sys
import urllib.request

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
request = urllib.request.Request(  # noqa: S310 - a fixed local http URL
    "http://127.0.0.1:8000/healthz/",
    headers={"Host": host or "localhost", "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
