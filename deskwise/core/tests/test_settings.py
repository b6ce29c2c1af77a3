"""Settings come from the environment and are checked at start-up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD_KEY = "k" * 20 + "Zq8#vL2!pZ9@wR4$tY7^uI1&oP3*aS6(dF0)gH5-jK"


def deskwise(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DESKWISE_", "DATABASE_URL", "EMAIL_", "SECRET_KEY", "DJANGO_SETTINGS")
        )
    }
    return subprocess.run(
        [sys.executable, "-m", "deskwise.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=settings.BASE_DIR,
    )


PRODUCTION = {
    "DESKWISE_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "DESKWISE_BASE_URL": "https://desk.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


def test_production_passes_the_deployment_checks(tmp_path):
    result = deskwise(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DESKWISE_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY is required"),
        ("EMAIL_HOST", "EMAIL_HOST is required"),
    ],
)
def test_production_refuses_to_guess(tmp_path, missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = deskwise("check", **env, DESKWISE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DESKWISE_ENV", "staging", "DESKWISE_ENV must be"),
        ("DESKWISE_DEBUG", "maybe", "DESKWISE_DEBUG must be true or false"),
        ("DESKWISE_MAX_ATTACHMENT_MB", "lots", "must be a whole number"),
        ("DATABASE_URL", "mysql://x@y/z", "SQLite or PostgreSQL"),
        ("DESKWISE_BASE_URL", "desk.example.com", "must be an http(s) URL"),
    ],
)
def test_bad_values_say_what_is_wrong(tmp_path, name, value, message):
    result = deskwise("check", **{name: value}, DESKWISE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert message in result.stderr


def test_the_embedded_default_needs_nothing_and_keeps_its_secret(tmp_path):
    first = deskwise("check", DESKWISE_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    deskwise("check", DESKWISE_DATA_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key
