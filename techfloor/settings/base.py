"""Settings shared by every environment, read from the environment with django-environ.

Each real component switches on when its variable is set (see the configuration table in
the README): DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL, STRIPE_SECRET_KEY, EMAIL_URL.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Overridden per environment; production refuses these development values.
DEV_SECRET_KEY = "django-insecure-techfloor-development-key-change-me"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    # Ours first, so that our templates override allauth's and Wagtail's.
    "accounts",
    "market",
    "matching",
    "startups",
    "payments",
    "cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",  # the table block of pages (cms/blocks.py)
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # The REST API and its OpenAPI schema (docs/open-data-and-api.md)
    "wagtail.api.v2",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "django.forms",
    "bootstrap",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "techfloor.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "techfloor.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "techfloor.urls"
FORM_RENDERER = "techfloor.forms.FormRenderer"
WSGI_APPLICATION = "techfloor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.acting_organisation",
                "cms.context_processors.navigation",
            ],
            "builtins": ["techfloor.templatetags.formatting"],
        },
    },
    {
        # Plain-text emails: nothing to escape, and "A & B" must not become "A &amp; B".
        "NAME": "email",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "builtins": ["techfloor.templatetags.formatting"],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests (autosave beside a submit) would otherwise fail with "database is
    # locked": take the write lock when a transaction starts, and wait for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Solid-state disks: without this the planner prefers sequential scans to the full-text
    # GIN index (see benchmarks/search.py). Override with DJANGO_PG_OPTIONS.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "DJANGO_PG_OPTIONS", default="-c random_page_cost=1.1 -c jit=off"
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, result backend and cache when REDIS_URL is set; otherwise eager tasks and
# a local-memory cache, so a newcomer needs nothing running.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "techfloor",
            "TIMEOUT": 300,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    "expire-listings": {
        "task": "market.tasks.expire_listings_task",
        "schedule": crontab(hour=0, minute=15),
    },
    "remind-expiring-listings": {
        "task": "market.tasks.remind_expiring_listings_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "end-featuring": {
        "task": "market.tasks.end_featuring_task",
        "schedule": crontab(minute=5),
    },
    "daily-alerts": {
        "task": "matching.tasks.send_alerts_task",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "weekly-alerts": {
        "task": "matching.tasks.send_alerts_task",
        "schedule": crontab(hour=7, minute=30, day_of_week="monday"),
        "args": ("weekly",),
    },
    "remind-reviewers": {
        "task": "startups.tasks.remind_reviewers_task",
        "schedule": crontab(hour=8, minute=30),
    },
    # Elasticsearch only (a no-op otherwise): write what live indexing could not.
    "reconcile-search-index": {
        "task": "market.tasks.reconcile_search_index_task",
        "schedule": crontab(minute="*/5"),
    },
}

ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Index names start with the prefix ("techfloor-listings"): several floors can share a cluster.
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="techfloor")
# Seconds a request to Elasticsearch may take before search falls back to the database.
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)
# A secured cluster (Elasticsearch 8's default): an API key, or a user and password in the URL
# (https://user:password@host:9200); and the CA certificate file that signed the cluster's TLS
# certificate when the system does not trust it (a self-managed cluster's own CA).
ELASTICSEARCH_API_KEY = env("ELASTICSEARCH_API_KEY", default="")
ELASTICSEARCH_CA_CERTS = env("ELASTICSEARCH_CA_CERTS", default="")
# Passed to every Elasticsearch client: the floor's and Wagtail's.
ELASTICSEARCH_CLIENT_OPTIONS = {
    option: value
    for option, value in (("api_key", ELASTICSEARCH_API_KEY), ("ca_certs", ELASTICSEARCH_CA_CERTS))
    if value
}
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Stripe's API unless a test points the SDK at a local server that records requests.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# The Innovation Center's account that bank transfers (VietQR) pay into; the defaults are a demo.
PAYMENTS_BANK_BIN = env("PAYMENTS_BANK_BIN", default="970436")
PAYMENTS_BANK_ACCOUNT = env("PAYMENTS_BANK_ACCOUNT", default="0123456789")
PAYMENTS_BANK_ACCOUNT_NAME = env(
    "PAYMENTS_BANK_ACCOUNT_NAME", default="TRUNG TAM DOI MOI SANG TAO (DEMO)"
)
# Who issues payment receipts: the Innovation Center's name as printed on them.
PAYMENTS_RECEIPT_ISSUER = env(
    "PAYMENTS_RECEIPT_ISSUER", default="Trung tâm Đổi mới sáng tạo (demo)"
)

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[TechFloor] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's defaults already limit login failures, sign-ups and resets; keep them on.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "TechFloor"
# Accept the code of the 30-second step before or after: a code typed as its step ends, or a
# phone clock a few seconds off, would otherwise be refused (RFC 6238 §5.2). allauth still
# refuses a code used once.
MFA_TOTP_TOLERANCE = 1
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS: dict = {}

# Social login is offered only for the providers whose keys are configured.
_ORCID_CLIENT_ID = env("ORCID_CLIENT_ID", default="")
if _ORCID_CLIENT_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.orcid")
    SOCIALACCOUNT_PROVIDERS["orcid"] = {
        "APPS": [{"client_id": _ORCID_CLIENT_ID, "secret": env("ORCID_SECRET")}],
        "BASE_DOMAIN": env("ORCID_BASE_DOMAIN", default="orcid.org"),
        "MEMBER_API": False,
    }
_GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
if _GOOGLE_CLIENT_ID:
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": _GOOGLE_CLIENT_ID, "secret": env("GOOGLE_SECRET")}],
        "SCOPE": ["profile", "email"],
    }

# Languages and time: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Our catalogue first; then Vietnamese for allauth, which ships none.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "vendor_locale" / "allauth"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["techfloor.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Off on purpose: it would alias events and calls into English, splitting their registrations
# and applications between two pages (docs/languages.md).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAIL_SITE_NAME = "TechFloor"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if ELASTICSEARCH_URL:
    # Page search on the same cluster; Wagtail names its indices "<prefix>wagtailcore_page".
    # Fill them with `manage.py update_index` (docs/elasticsearch.md).
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX_PREFIX}-wagtail-",
        "TIMEOUT": ELASTICSEARCH_TIMEOUT,
        "OPTIONS": dict(ELASTICSEARCH_CLIENT_OPTIONS),
        "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": 0}}},
    }
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Files: public media (logos, images) and private files (evidence, attachments) that are
# served only through views that check permission.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "techfloor.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# Email: console unless EMAIL_URL names an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="TechFloor <no-reply@techfloor.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# Security headers that hold in every environment; production adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail lifts it for its own preview frames
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # fpdf2 subsets fonts through fontTools, which logs every table it touches at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks would log every email at INFO in the web process.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# Labels used by the staff groups created in a data migration.
STAFF_GROUPS = {"curators": _("Curators"), "reviewers": _("Reviewers"), "finance": _("Finance")}

# The REST API (docs/open-data-and-api.md): read-only for anonymous visitors, session or token
# authentication for members, rate limits counted in the shared cache (Redis when REDIS_URL is
# set, so every web process counts together).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without credentials is then told how to authenticate (401).
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "techfloor.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["techfloor.api.AnonThrottle", "techfloor.api.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="60/min"),
        "user": env("API_USER_RATE", default="600/min"),
    },
    # local.py adds the browsable API when DEBUG is on.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "techfloor.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Open data: our listings' keys in other floors ("<prefix>:<number>"); one per floor.
OPEN_DATA_ID_PREFIX = env("OPEN_DATA_ID_PREFIX", default="techfloor")
SPECTACULAR_SETTINGS = {
    "TITLE": "TechFloor API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Published listings, public organisation profiles and calls for applications of the "
        "trading floor; members create their own listings and express interest. Anonymous "
        "visitors may read; writing needs a session or a token (Authorization: Token <key>)."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["techfloor.api.only_version_one"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ListingKindEnum": "market.models.Listing.Kind",
        "ListingStatusEnum": "market.models.Listing.Status",
        "IntroductionStatusEnum": "market.models.Introduction.Status",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
    },
    # Served from our own static files: the docs page asks no third party for anything.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
