"""Settings for the test suite: the real settings with fast hashing and
mail kept in memory."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DESKWISE_ENV", "test")

from deskwise.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="deskwise-test-media-"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# A connection pool outlives the test run's threads (the live server's) and
# keeps the test database busy at teardown; tests connect plainly.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405
