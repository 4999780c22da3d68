"""Settings for the think tank publishing site, read from the environment.

Development defaults are safe: with no DATABASE_URL the site uses an SQLite file, and only
with DEBUG on does it fall back to a throwaway SECRET_KEY.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "axes",
    "core",
    "authors",
    "media_library",
    "articles",
    "translations",
    "archive",
    "demo",
    "jobs",
    "anymail",
    "newsletters",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
    "django_prose_editor",
]

MIDDLEWARE = [
    "core.pagecache.PageCacheMiddleware",  # a hit is answered before all else (issue 21)
    "core.requestlog.request_log",
    "core.health.health_check",
    "core.cdn.surrogate_key",
    "thinktank.routers.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.reject_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.refuse_large_bodies",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thinktank.urls"
WSGI_APPLICATION = "thinktank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (thinktank.routers): anonymous readers' queries go to one that is up and caught
# up; the admin, staff, writes and anyone who has just written use the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), 1):
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # A replica that is down must not hold a reader up: the primary answers instead.
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["thinktank.routers.ReplicaRouter"] if DATABASE_REPLICAS else []
REPLICA_MAX_LAG = float(os.environ.get("REPLICA_MAX_LAG", "5"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The institute is Japanese: Japanese is the default and the x-default of the site.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["thinktank.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# Shared by every worker process (and with Redis, every server): a save seen by one makes
# the cached pages and counts of all out of date (core.pagecache).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", BASE_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Anonymous readers' pages: kept at most this long (0, the default with DEBUG, turns the
# page cache off), and never past the next scheduled publication (the function named here).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))
PAGE_CACHE_TTL_BOUND = "articles.models.seconds_until_next_publication"
PAGE_CACHE_SKIP = r"^/(admin|media|static)/|/preview/|^/healthz$"
PAGE_CACHE_MAX_AGE = 60  # browsers
PAGE_CACHE_S_MAXAGE = 60  # CDNs
# Issue 21 (core.pagecache, docs/performance.md): pages are invalidated by what they show;
# the coming scheduled changes and the tags each touches come from PAGE_CACHE_SCHEDULE.
PAGE_CACHE_SCHEDULE = "articles.invalidation.upcoming"
PAGE_CACHE_EVERY_CHANGE = r"^/sitemap|/search/"  # pages that change with any edit
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "5"))
PAGE_CACHE_STALE_IF_ERROR = int(os.environ.get("PAGE_CACHE_STALE_IF_ERROR", "3600"))
PAGE_CACHE_WAIT_SECONDS = 3  # a request waits this long for another building its page
# The only query parameters that change a page; any other (utm_*, fbclid) is dropped.
PAGE_CACHE_QUERY_PARAMETERS = {"page", "q", "from", "language", "series", "author", "year", "sent"}
# Through PgBouncer in transaction mode (docs/capacity.md): a transaction may meet another
# server connection than the last, so no server-side cursor may outlive one.
if os.environ.get("DATABASE_POOLER") == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
}
# Media on S3-compatible object storage once a bucket is named. boto3 reads the keys from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role). Addresses are plain and
# public (no signature), so a page that names an image can be cached; uploads get random
# names and are never rewritten once published, so they may be cached for a year.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# A CDN in front of the site (core.cdn): public pages carry this surrogate key, purged at
# CDN_PURGE_URL (a JSON POST, with CDN_PURGE_TOKEN as bearer token) or by CDN_PURGE_FUNCTION
# (a dotted path, called with the list of keys) whenever content changes.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_FUNCTION = os.environ.get("CDN_PURGE_FUNCTION", "")
CDN_PURGE_TIMEOUT = 3
CDN_SURROGATE_KEY = os.environ.get("CDN_SURROGATE_KEY", "pages")

# Where images may come from besides the site (the Content-Security-Policy's img-src).
MEDIA_ORIGINS = (
    [f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}"]
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    else []
)
if os.environ.get("AWS_STORAGE_BUCKET_NAME") and not MEDIA_ORIGINS:
    MEDIA_ORIGINS = [os.environ.get("AWS_S3_ENDPOINT_URL") or "https://*.amazonaws.com"]
if MEDIA_URL.startswith(("http://", "https://")):
    MEDIA_ORIGINS.append("/".join(MEDIA_URL.split("/")[:3]))
# Request bodies are refused (413) from their declared size before they are read, by
# core.middleware.refuse_large_bodies: staff may upload files of UPLOAD_MAX_BYTES in all (an
# image, core.images: 10 MB; the import form, archive.forms) with the form's own fields and
# framing (ANONYMOUS_REQUEST_MAX_BYTES more); anyone else, a login form. Django's own limit
# counts form fields, not files. The one limit to change is UPLOAD_MAX_BYTES.
UPLOAD_MAX_BYTES = 12 * 1024 * 1024
ANONYMOUS_REQUEST_MAX_BYTES = 64 * 1024
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + ANONYMOUS_REQUEST_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# With Redis, every server reads sessions from it; they are written through to the database,
# so a Redis that goes away logs nobody out.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy that sets this header (e.g. X-Forwarded-Proto) and X-Forwarded-For,
# replacing any a client sent: otherwise a client could claim https, or any address.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
if TRUSTED_PROXY_HEADER:
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{TRUSTED_PROXY_HEADER.upper().replace('-', '_')}", "https")
    AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"

# No inline script anywhere (the admin's included), so no nonce: a public page is the same
# bytes for every reader, and can be cached as such. The one inline style is the site's
# stylesheet, put in each page's head so nothing blocks the first paint
# ({% inline_stylesheet %}); it is allowed by its hash, worked out here from the same file
# (restart the server after changing it).
SITE_STYLESHEET = BASE_DIR / "static" / "css" / "site.css"
SITE_STYLESHEET_HASH = (
    "sha256-" + base64.b64encode(hashlib.sha256(SITE_STYLESHEET.read_bytes()).digest()).decode()
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, f"'{SITE_STYLESHEET_HASH}'"],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # A body's video, once a reader clicks it (media.rendering, js/video_facade.js).
        "frame-src": ["https://www.youtube-nocookie.com"],
    }
}

# Login throttling (django-axes): five wrong passwords lock the account, and the address,
# for a quarter of an hour; the check runs before any password is hashed. Admins unlock by
# deleting the attempts under "Axes" in the admin (or `manage.py axes_reset_username`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.locked_out"

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "core.text.parse_tags"

LOGIN_URL = "admin:login"

# Mail from the desk (reviews, returns, publications): printed unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds an SMTP server may keep a job waiting (mail is always sent by a job, never a request).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Longest pause between two tries of a desk mail the server refused for now (4xx, away).
MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", "600"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "desk@localhost")
# The site's address, e.g. https://www.example.org: every absolute address it writes
# (canonical, og:url, sitemaps, feeds, mail) is on it, never on a request's Host (core.site).
# Unset, the one host ALLOWED_HOSTS names (https unless DEBUG), else the development server.
_NAMED_HOSTS = [host for host in ALLOWED_HOSTS if host and not host.startswith((".", "*"))]
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    f"{'http' if DEBUG else 'https'}://{_NAMED_HOSTS[0]}"
    if len(ALLOWED_HOSTS) == 1 and _NAMED_HOSTS
    else "http://127.0.0.1:8000"
)

ARTICLES_PER_PAGE = 20

# Newsletters (newsletters/, docs/newsletters.md). The domain names the lists (List-Id) and
# the mails (Message-ID). A rate of 0 is no limit; it is shared by every worker (the cache).
NEWSLETTER_DOMAIN = (
    os.environ.get("NEWSLETTER_DOMAIN") or (SITE_URL.split("//", 1)[-1].split("/")[0].split(":")[0])
)
NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
NEWSLETTER_UNSUBSCRIBE_EMAIL = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_EMAIL", f"unsubscribe@{NEWSLETTER_DOMAIN}"
)
NEWSLETTER_RATE_PER_MINUTE = int(os.environ.get("NEWSLETTER_RATE_PER_MINUTE", "0"))
NEWSLETTER_SENDERS = int(os.environ.get("NEWSLETTER_SENDERS", "2"))
NEWSLETTER_BATCH_SECONDS = 50
NEWSLETTER_RETRY_SECONDS = int(os.environ.get("NEWSLETTER_RETRY_SECONDS", "60"))
NEWSLETTER_MAX_ATTEMPTS = 8
NEWSLETTER_MAX_AGE_HOURS = 48
NEWSLETTER_CONFIRM_DAYS = 3
# Subscription requests: per client address an hour, and confirmation mails per address.
NEWSLETTER_REQUESTS_PER_CLIENT_HOUR = 10
NEWSLETTER_MAILS_PER_ADDRESS_DAY = 3
# django-anymail: EMAIL_BACKEND names a provider's backend (e.g.
# anymail.backends.mailgun.EmailBackend); every ANYMAIL_<NAME> variable becomes ANYMAIL's
# <NAME> (MAILGUN_API_KEY, MAILGUN_WEBHOOK_SIGNING_KEY, WEBHOOK_SECRET…). Its tracking webhooks
# (/anymail/<provider>/tracking/) suppress addresses that bounce or complain.
ANYMAIL = {name[8:]: value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}

# The job queue (thinktank/celery.py, core.jobs): Celery with a Redis broker, e.g.
# redis://127.0.0.1:6379/2 (a database of its own, with `maxmemory-policy noeviction`: a
# broker must never lose a job to eviction). Without one, jobs run in the web process after
# commit. Results are not kept: jobs record what they did in the database.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "cache" / "celerybeat-schedule")
)
# The periodic jobs, run by beat (`make worker`; in production one `celery beat` for all).
CELERY_BEAT_SCHEDULE = {
    "publish-due-changes": {"task": "articles.tasks.publish_due_changes", "schedule": 60.0},
    "purge-trash": {"task": "articles.tasks.purge_trash", "schedule": crontab(hour=4, minute=0)},
    "prune-job-runs": {"task": "jobs.tasks.prune_job_runs", "schedule": crontab(hour=4, minute=30)},
    "newsletters-sweep": {"task": "newsletters.tasks.sweep", "schedule": 60.0},
}
# Days the admin keeps a record of each job run (jobs.JobRun).
JOB_RUNS_KEEP_DAYS = int(os.environ.get("JOB_RUNS_KEEP_DAYS", "14"))

# Days a deleted commentary stays in the trash before `manage.py purge_trash` deletes it.
TRASH_RETENTION_DAYS = int(os.environ.get("TRASH_RETENTION_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "lines": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # core.requestlog: one JSON line per request, as it is.
    "loggers": {"thinktank.requests": {"handlers": ["lines"], "propagate": False}},
}

# --- A quiet command line (issue 23): every warning a command prints means something. ---
# django-axes logs "AXES: BEGIN version …" at every start unless told not to.
AXES_VERBOSE = False
# models.W040: SQLite keeps no INCLUDE columns in an index. The covering indexes are for
# Postgres, the production database; on an SQLite development database they are plain ones.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Without a broker jobs run in the command or request that asked for them: a line for each
# ("Task … succeeded") says nothing a job run in the admin does not (jobs.JobRun), and kombu's
# "No hostname was supplied" is Celery making a producer it never connects, for its serializer.
if CELERY_TASK_ALWAYS_EAGER:
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
# --- Issue 22 (h22b): redirects, citations, PDFs, most read -------------------------------
INSTALLED_APPS += ["redirects", "citations", "pdfs", "reads"]
# Inside LocaleMiddleware: an old address is looked up before a language prefix is added.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "redirects.middleware.redirect_on_404",
)
# Seconds browsers and CDNs may keep a 301 of redirects/ (an Editor may change it later).
REDIRECT_MAX_AGE = int(os.environ.get("REDIRECT_MAX_AGE", "3600"))
# The 404 log forgets an address nobody has asked for in this many days.
NOT_FOUND_KEEP_DAYS = int(os.environ.get("NOT_FOUND_KEEP_DAYS", "90"))
CELERY_BEAT_SCHEDULE["redirects-prune-404s"] = {
    "task": "redirects.tasks.prune_not_found",
    "schedule": crontab(hour=4, minute=40),
}
# A PDF of each public commentary (pdfs/), built by a job on publication and on each change;
# the sweep builds those that came due and removes those that reached their end.
PDFS_BUILD = env_bool("PDFS_BUILD", True)
CELERY_BEAT_SCHEDULE["pdfs-sweep"] = {"task": "pdfs.tasks.sweep", "schedule": 300.0}
PDFS_SWEEP_BATCH = int(os.environ.get("PDFS_SWEEP_BATCH", "50"))  # PDFs built a sweep, at most
# Counts of reads by day (reads/) are kept this long.
READS_KEEP_DAYS = int(os.environ.get("READS_KEEP_DAYS", "400"))
CELERY_BEAT_SCHEDULE["reads-prune"] = {
    "task": "reads.tasks.prune",
    "schedule": crontab(hour=4, minute=45),
}
# --- Issue 22: the content API (api/, docs/api.md) and partners' webhooks (webhooks/) -------
# Read-only and anonymous: no authentication, so no session is read and the page cache keeps
# the API's answers as it keeps pages (ETag, 304, a new generation on every change).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.policies.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.policies.ClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 20,
}
# Requests per client address (behind TRUSTED_PROXY_HEADER, the address the proxy saw) that
# reach the API's views; answers served by the page cache are not counted.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
# The API's filters and pages are its query parameters: the page cache keeps them (and drops
# any other, as it does for pages). tests/test_api.py checks this covers the schema's.
PAGE_CACHE_QUERY_PARAMETERS_BY_PREFIX = {
    "/api/": {
        *("language", "series", "number", "author", "topic", "cursor", "page_size", "format"),
        *("published_after", "published_before", "updated_since"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commentary API",
    "DESCRIPTION": "The institute's public commentaries, series, authors and topics, read-only.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_responses",
    ],
}
# Webhooks (webhooks/, docs/webhooks.md): seconds a partner's server may take to answer, and
# the tries of one delivery, 1, 2, 4 … minutes apart (at most WEBHOOK_RETRY_MAX_SECONDS).
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
# Days the admin's delivery log keeps what was sent, failed or cancelled.
WEBHOOK_LOG_KEEP_DAYS = int(os.environ.get("WEBHOOK_LOG_KEEP_DAYS", "30"))
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {"task": "webhooks.tasks.sweep", "schedule": 60.0}
# --- The body's editor (issue 18): django-prose-editor with the schema of core/body.py; its
# one inline script, the import map, is allowed by its hash (articles.editor).
from js_asset import Script  # noqa: E402

DJANGO_PROSE_EDITOR_PRESETS = {"body": [Script("js/body_editor.js", type="module")]}
