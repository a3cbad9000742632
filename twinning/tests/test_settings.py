"""Configuration comes from the environment, and a bad or missing value stops start-up."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from twinning.settings.env import env_bool, env_database, env_int, env_list, env_required, env_str

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


# --- The env helpers -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "ture", "2", "enabled"])
def test_a_boolean_that_is_not_one_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("TWINNING_TEST_FLAG", value)

    with pytest.raises(ImproperlyConfigured, match="TWINNING_TEST_FLAG"):
        env_bool("TWINNING_TEST_FLAG", default=False)


@pytest.mark.parametrize(
    "value, expected",
    [("true", True), ("Yes", True), (" 1 ", True), ("on", True), ("false", False), ("0", False), ("", False)],
)
def test_booleans_are_read_in_their_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("TWINNING_TEST_FLAG", value)

    assert env_bool("TWINNING_TEST_FLAG", default=not expected) is expected


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("TWINNING_TEST_FLAG", raising=False)

    assert env_bool("TWINNING_TEST_FLAG", default=True) is True


@pytest.mark.parametrize("value", ["twelve", "1.5", "20s"])
def test_a_number_that_is_not_whole_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("TWINNING_TEST_NUMBER", value)

    with pytest.raises(ImproperlyConfigured, match="TWINNING_TEST_NUMBER"):
        env_int("TWINNING_TEST_NUMBER", 2)


def test_whole_numbers_are_read_and_unset_ones_take_their_default(monkeypatch):
    monkeypatch.setenv("TWINNING_TEST_NUMBER", " 587 ")
    assert env_int("TWINNING_TEST_NUMBER", 2) == 587

    monkeypatch.delenv("TWINNING_TEST_NUMBER")
    assert env_int("TWINNING_TEST_NUMBER", 2) == 2


@pytest.mark.parametrize("url", ["mongodb://db.example.org/twinning", "not-a-url"])
def test_a_database_url_of_unknown_kind_stops_start_up(monkeypatch, url):
    monkeypatch.setenv("TWINNING_TEST_DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured, match="TWINNING_TEST_DATABASE_URL"):
        env_database("TWINNING_TEST_DATABASE_URL", default="sqlite:///:memory:")


def test_a_postgres_database_url_is_read_into_django_settings(monkeypatch):
    monkeypatch.setenv("TWINNING_TEST_DATABASE_URL", "postgres://twin:s3cret@db.example.org:5433/twinning")

    config = env_database("TWINNING_TEST_DATABASE_URL", default="sqlite:///:memory:")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("twinning", "twin", "s3cret")
    assert (config["HOST"], config["PORT"]) == ("db.example.org", 5433)


def test_an_unset_database_url_takes_its_default(monkeypatch):
    monkeypatch.delenv("TWINNING_TEST_DATABASE_URL", raising=False)

    config = env_database("TWINNING_TEST_DATABASE_URL", default="sqlite:///:memory:")

    assert config["ENGINE"] == "django.db.backends.sqlite3"


def test_a_required_value_that_is_missing_or_blank_stops_start_up(monkeypatch):
    monkeypatch.delenv("TWINNING_TEST_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="TWINNING_TEST_REQUIRED must be set"):
        env_required("TWINNING_TEST_REQUIRED")

    monkeypatch.setenv("TWINNING_TEST_REQUIRED", "   ")
    with pytest.raises(ImproperlyConfigured, match="TWINNING_TEST_REQUIRED must be set"):
        env_required("TWINNING_TEST_REQUIRED")


def test_strings_and_lists_are_trimmed(monkeypatch):
    monkeypatch.setenv("TWINNING_TEST_HOSTS", " twinning.example.org, ,www.twinning.example.org ")
    monkeypatch.setenv("TWINNING_TEST_NAME", "  ISA  ")

    assert env_list("TWINNING_TEST_HOSTS") == ["twinning.example.org", "www.twinning.example.org"]
    assert env_str("TWINNING_TEST_NAME") == "ISA"


# --- Production settings, loaded as a deployment would load them ------------------------------


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py with production settings and only the given environment (plus PATH)."""
    child_env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "twinning.settings.production"}
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# A deployment's services and public address; `check --deploy` reads these URLs but
# connects to none.
SERVICES = {
    "DATABASE_URL": "postgres://twinning:secret@db.invalid:5432/twinning",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "SITE_URL": "https://twinning.example.org",
    "AWS_STORAGE_BUCKET_NAME": "twinning-uploads",
}


def random_secret_key() -> str:
    key = secrets.token_urlsafe(48)
    assert len(key) == 64
    return key


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="twinning.example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=random_secret_key())

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_with_a_bad_boolean():
    result = run_manage(
        "check",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="twinning.example.org",
        SECURE_SSL_REDIRECT="perhaps",
        **SERVICES,
    )

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_production_passes_the_deployment_checks_without_a_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="twinning.example.org",
        **SERVICES,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _check_production_with(name: str, value: str | None):
    """`manage.py check` on the production settings, with `name` unset (None) or set to `value`."""
    env = {"SECRET_KEY": random_secret_key(), "ALLOWED_HOSTS": "twinning.example.org", **SERVICES}
    env.pop(name)
    if value:
        env[name] = value
    return run_manage("check", **env)


@pytest.mark.parametrize(
    "database_url", [None, "sqlite:////srv/twinning/twinning.sqlite3"], ids=["unset", "sqlite"]
)
def test_production_refuses_to_start_without_a_postgresql_database(database_url):
    result = _check_production_with("DATABASE_URL", database_url)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL must name a PostgreSQL database" in result.stderr


@pytest.mark.parametrize(
    "site_url, message",
    [
        (None, "SITE_URL must be set"),
        ("http://twinning.example.org", "must be the site's https:// address"),
        ("twinning.example.org", "must be the site's https:// address"),
    ],
    ids=["unset", "http", "no-scheme"],
)
def test_production_refuses_to_start_without_the_sites_https_address(site_url, message):
    result = _check_production_with("SITE_URL", site_url)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_links_in_production_mail_start_at_the_configured_address():
    code = "from django.conf import settings; print(settings.SITE_URL)"
    env = {**SERVICES, "SITE_URL": "https://twinning.example.org/"}

    result = run_manage("shell", "-c", code, SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "https://twinning.example.org"


def test_development_links_default_to_the_local_server():
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "twinning.settings.development"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "http://127.0.0.1:8000"


PRINT_CONNECTION_AGE = (
    "from django.conf import settings; database = settings.DATABASES['default']; "
    "print(database.get('CONN_MAX_AGE', 0), database.get('CONN_HEALTH_CHECKS', False))"
)


def test_production_keeps_database_connections_for_a_minute():
    result = run_manage(
        "shell", "-c", PRINT_CONNECTION_AGE,
        SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **SERVICES,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "60 True"


# The development server runs each request in a thread of its own: a connection kept per
# thread would stay open until PostgreSQL refuses new ones.
@pytest.mark.parametrize("database_url", ["", "postgres://twinning:secret@db.invalid:5432/twinning"])
def test_development_closes_each_database_connection_after_its_request(database_url):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_CONNECTION_AGE],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "twinning.settings.development",
             "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 False"


def test_production_refuses_to_start_with_the_filesystem_broker():
    result = run_manage(
        "check",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="twinning.example.org",
        DATABASE_URL=SERVICES["DATABASE_URL"],
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REDIS_URL (or CELERY_BROKER_URL) must name the broker" in result.stderr


def test_wsgi_without_a_settings_module_loads_production_settings():
    """twinning/__init__.py loads the Celery app first; its default must not be development."""
    result = subprocess.run(
        [sys.executable, "-c", "import twinning.wsgi"],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # Only production demands SECRET_KEY: development would start with its own key.
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_serves_healthz_over_plain_http_and_redirects_the_rest():
    code = (
        "import re; from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, any(re.search(p, 'healthz') for p in settings.SECURE_REDIRECT_EXEMPT), "
        "any(re.search(p, 'accounts/login/') for p in settings.SECURE_REDIRECT_EXEMPT))"
    )
    result = run_manage(
        "shell", "-c", code, SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **SERVICES
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "True", "False"]


# --- Lockout after failed log-ins (django-axes) -------------------------------------------------

LOCKOUT_CODE = (
    "from django.conf import settings; "
    "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), "
    "settings.AXES_LOCKOUT_PARAMETERS, settings.AXES_IPWARE_META_PRECEDENCE_ORDER)"
)


def test_lockout_defaults_count_five_failures_per_account_and_per_address_for_fifteen_minutes():
    result = run_manage("shell", "-c", LOCKOUT_CODE, SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **SERVICES)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5 900.0 ['username', 'ip_address'] ['REMOTE_ADDR']"


def test_lockout_limits_come_from_the_environment():
    result = run_manage(
        "shell", "-c", LOCKOUT_CODE,
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="twinning.example.org",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTES="60",
        AXES_LOCKOUT_PARAMETERS="username, username+ip_address",
        AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
        **SERVICES,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "10 3600.0 ['username', ['username', 'ip_address']] ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR']"
    )


@pytest.mark.parametrize(
    "variable, value",
    [("AXES_LOCKOUT_PARAMETERS", "username,ip"), ("AXES_FAILURE_LIMIT", "0"), ("AXES_COOLOFF_MINUTES", "0")],
)
def test_a_lockout_setting_that_cannot_work_stops_start_up(variable, value):
    result = run_manage(
        "check", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **{variable: value}, **SERVICES
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
