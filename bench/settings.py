"""Settings for the page benchmarks: the development settings without debug, plus a bare view."""

from gongkai.config.settings.development import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
