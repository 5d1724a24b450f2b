"""Settings shared by every environment. All configuration comes from environment variables."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "gongkai"

env = environ.Env()

VAR_DIR = Path(env.str("GONGKAI_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",  # serves the OpenAPI docs' assets locally, never from a CDN
    "gongkai.core",
    "gongkai.orgs",
    "gongkai.accounts",
    "gongkai.publishing",
    "gongkai.search",
    "gongkai.foi",
    "gongkai.reports",
    "gongkai.hotline",
    "gongkai.participation",
    "gongkai.portal",
    "gongkai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.site",
            ],
        },
    },
]

# Database: SQLite (WAL) under var/ by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gongkai.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("GONGKAI_PASSWORD_MIN_LENGTH", default=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.validators.CharacterClassValidator"},
]

# Login lockout and session timeout (等保2.0 baseline), all configurable.
GONGKAI_LOGIN_MAX_FAILURES = env.int("GONGKAI_LOGIN_MAX_FAILURES", default=5)
GONGKAI_LOGIN_LOCKOUT_MINUTES = env.int("GONGKAI_LOGIN_LOCKOUT_MINUTES", default=15)
GONGKAI_SESSION_IDLE_MINUTES = env.int("GONGKAI_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = env.int("GONGKAI_SESSION_MAX_HOURS", default=12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The shared cache (public pages, see core/pagecache.py): Redis when GONGKAI_CACHE_URL is set,
# e.g. redis://127.0.0.1:6379/1; otherwise files under var/ (shared by all worker processes).
_CACHE_URL = env.str("GONGKAI_CACHE_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}
GONGKAI_PAGE_CACHE_SECONDS = env.int("GONGKAI_PAGE_CACHE_SECONDS", default=600)
# The cookie holding a visitor's display modes (大字版/高对比度); cached pages vary on it.
GONGKAI_DISPLAY_MODES_COOKIE = "gk_display_modes"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env.str("GONGKAI_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("GONGKAI_MEDIA_ROOT", default=str(VAR_DIR / "media")))

# The name shown in the header of the public site and the workbench.
GONGKAI_SITE_NAME = env.str("GONGKAI_SITE_NAME", default="北京市人民政府政务公开平台")
# 索引号 template (no national format exists): {org_code}, {YYYY}, {seq} are filled in.
GONGKAI_INDEX_NO_TEMPLATE = env.str(
    "GONGKAI_INDEX_NO_TEMPLATE", default="{org_code}/{YYYY}-{seq:05d}"
)

# The largest attachment of a government information document, in MB.
GONGKAI_ATTACHMENT_MAX_MB = env.int("GONGKAI_ATTACHMENT_MAX_MB", default=50)

# Footer facts every government site shows; an unset one is not shown.
GONGKAI_SITE_ORGANISER = env.str("GONGKAI_SITE_ORGANISER", default="北京市人民政府办公厅")
GONGKAI_SITE_ID_CODE = env.str("GONGKAI_SITE_ID_CODE", default="")  # 网站标识码
GONGKAI_SITE_ICP_RECORD = env.str("GONGKAI_SITE_ICP_RECORD", default="")  # ICP备案号
GONGKAI_SITE_PSB_RECORD = env.str("GONGKAI_SITE_PSB_RECORD", default="")  # 公安机关备案号

# The 政府信息公开工作机构 (OGI office) as the 公开指南 gives it (《条例》第十二条); an unset one is
# not shown.
GONGKAI_OGI_OFFICE_NAME = env.str("GONGKAI_OGI_OFFICE_NAME", default="")
GONGKAI_OGI_OFFICE_ADDRESS = env.str("GONGKAI_OGI_OFFICE_ADDRESS", default="")
GONGKAI_OGI_OFFICE_HOURS = env.str("GONGKAI_OGI_OFFICE_HOURS", default="")
GONGKAI_OGI_OFFICE_PHONE = env.str("GONGKAI_OGI_OFFICE_PHONE", default="")
GONGKAI_OGI_OFFICE_FAX = env.str("GONGKAI_OGI_OFFICE_FAX", default="")
GONGKAI_OGI_OFFICE_ONLINE = env.str(
    "GONGKAI_OGI_OFFICE_ONLINE", default=""
)  # e-mail or web address

# Disclosure on request (foi). What the law leaves to the agency: the applicant's correction
# period when staff set none (art. 30: "a reasonable period"), and whether waiting for a fee
# restarts the clock on payment (unconfirmed, regulatory-facts §1.8). The annual report's table
# 三 has no row for art. 36(5) (not this agency), art. 36(7) (special access rules) or a
# withdrawn application; each is counted under the row named here (default （六）3.其他).
GONGKAI_FOI_CORRECTION_PERIOD_DAYS = env.int("GONGKAI_FOI_CORRECTION_PERIOD_DAYS", default=15)
GONGKAI_FOI_FEE_RESTARTS_CLOCK = env.bool("GONGKAI_FOI_FEE_RESTARTS_CLOCK", default=True)
GONGKAI_FOI_OUTCOME_ROWS = {
    "not_this_agency": env.str("GONGKAI_FOI_ROW_NOT_THIS_AGENCY", default="o3"),
    "special_rules": env.str("GONGKAI_FOI_ROW_SPECIAL_RULES", default="o3"),
    "withdrawn": env.str("GONGKAI_FOI_ROW_WITHDRAWN", default="o3"),
}
GONGKAI_FOI_ATTACHMENTS_MAX = env.int("GONGKAI_FOI_ATTACHMENTS_MAX", default=5)
GONGKAI_FOI_ATTACHMENT_MAX_MB = env.int("GONGKAI_FOI_ATTACHMENT_MAX_MB", default=20)
GONGKAI_FOI_LINK_DAYS = env.int("GONGKAI_FOI_LINK_DAYS", default=30)

# 12345 work orders (hotline). Supervision (督办) starts by itself for an overdue order, after
# this many send-backs, and for this many orders about one category in one street within the
# number of days; the organisation then has the hours given to report. Beijing's own figures
# were not found (regulatory-facts §4.2 [X]): these are defaults.
GONGKAI_HOTLINE_SUPERVISION_HOURS = env.int("GONGKAI_HOTLINE_SUPERVISION_HOURS", default=24)
GONGKAI_HOTLINE_SEND_BACKS_SUPERVISED = env.int("GONGKAI_HOTLINE_SEND_BACKS_SUPERVISED", default=2)
GONGKAI_HOTLINE_REPEATED_ORDERS = env.int("GONGKAI_HOTLINE_REPEATED_ORDERS", default=3)
GONGKAI_HOTLINE_REPEATED_DAYS = env.int("GONGKAI_HOTLINE_REPEATED_DAYS", default=30)
# The learned routing suggestion (hotline.suggest): the model file `gongkai hotline train`
# writes from the last GONGKAI_HOTLINE_SUGGEST_EXAMPLES accepted dispatches, and dispatchers see.
GONGKAI_HOTLINE_SUGGEST_MODEL = Path(
    env.str("GONGKAI_HOTLINE_SUGGEST_MODEL", default=str(VAR_DIR / "hotline-suggest.joblib"))
)
GONGKAI_HOTLINE_SUGGEST_EXAMPLES = env.int("GONGKAI_HOTLINE_SUGGEST_EXAMPLES", default=100_000)
# 诉求汇总: an order's duplicate candidates are the orders received within this many days before
# or after it from the same caller, or about the same place (same street and a like address,
# or within this many metres when both have coordinates) — with a like text (hotline.topics).
GONGKAI_HOTLINE_DUPLICATE_DAYS = env.int("GONGKAI_HOTLINE_DUPLICATE_DAYS", default=30)
GONGKAI_HOTLINE_DUPLICATE_RADIUS_M = env.int("GONGKAI_HOTLINE_DUPLICATE_RADIUS_M", default=200)
# Keys an Open311 client must send (api_key) to file a request; empty: no key is required.
GONGKAI_OPEN311_API_KEYS: list[str] = env.list("GONGKAI_OPEN311_API_KEYS", default=[])

# The three rates of 接诉即办 (统一考核), per organisation and month. An order counts for the
# organisation that led it and the month it was received. 响应率: share of its orders accepted
# within GONGKAI_HOTLINE_RESPONSE_HOURS of dispatch; 解决率 and 满意率: shares of the called-back
# orders that were resolved, and that were 满意 (基本满意 counting the given weight). The score
# weighs the three (Beijing's weights were not found, regulatory-facts §4.2 [X]).
GONGKAI_HOTLINE_RESPONSE_HOURS = env.int("GONGKAI_HOTLINE_RESPONSE_HOURS", default=24)
GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT = env.float(
    "GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT", default=1.0
)
GONGKAI_HOTLINE_RATE_WEIGHTS = {
    "response": env.float("GONGKAI_HOTLINE_WEIGHT_RESPONSE", default=1 / 3),
    "resolution": env.float("GONGKAI_HOTLINE_WEIGHT_RESOLUTION", default=1 / 3),
    "satisfaction": env.float("GONGKAI_HOTLINE_WEIGHT_SATISFACTION", default=1 / 3),
}

# Public participation (participation). The working days after a consultation's last day
# within which its adoption feedback must be published; later, it is on the overdue list. A
# default: Beijing's own figure was not confirmed (regulatory-facts §5 names no number).
GONGKAI_PARTICIPATION_FEEDBACK_DAYS = env.int("GONGKAI_PARTICIPATION_FEEDBACK_DAYS", default=15)

# Outgoing e-mail (12345 acknowledges e-mailed requests with their number): EMAIL_URL such as
# smtp+tls://user:password@mail.example.gov.cn:587; by default messages go to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="12345@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("GONGKAI_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step of every PDF (letters, reports) at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Take the client IP from X-Forwarded-For (only behind a trusted reverse proxy).
GONGKAI_TRUST_X_FORWARDED_FOR = env.bool("GONGKAI_TRUST_X_FORWARDED_FOR", default=False)
