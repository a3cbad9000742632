"""Where uploads are kept: the local disk in development, an S3-compatible object store in
production (twinning/settings/storage.py), each from the environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .test_settings import PROJECT_ROOT, SERVICES, random_secret_key, run_manage

PRINT_STORAGE = (
    "from django.conf import settings; default = settings.STORAGES['default']; "
    "options = default.get('OPTIONS', {}); "
    "print(default['BACKEND'], options.get('bucket_name'), options.get('endpoint_url'), options.get('region_name'), "
    "options.get('addressing_style'), options.get('file_overwrite'), options.get('default_acl'))"
)
PRODUCTION = {"SECRET_KEY": random_secret_key(), "ALLOWED_HOSTS": "twinning.example.org"}


def test_production_keeps_uploads_in_the_named_bucket():
    result = run_manage(
        "shell", "-c", PRINT_STORAGE, **PRODUCTION, **SERVICES,
        AWS_S3_ENDPOINT_URL="https://objects.example.org", AWS_S3_REGION_NAME="eu-central-1",
        AWS_S3_ADDRESSING_STYLE="path",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "storages.backends.s3.S3Storage twinning-uploads https://objects.example.org eu-central-1 path False None"
    )


def test_production_refuses_to_start_without_a_bucket():
    services = {name: value for name, value in SERVICES.items() if name != "AWS_STORAGE_BUCKET_NAME"}

    result = run_manage("check", **PRODUCTION, **services)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "AWS_STORAGE_BUCKET_NAME must name the bucket" in result.stderr
    assert "STORAGE_BACKEND=filesystem" in result.stderr


def test_production_keeps_uploads_on_the_disk_only_when_told_so():
    services = {name: value for name, value in SERVICES.items() if name != "AWS_STORAGE_BUCKET_NAME"}

    result = run_manage("shell", "-c", PRINT_STORAGE, **PRODUCTION, **services, STORAGE_BACKEND="filesystem")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("django.core.files.storage.FileSystemStorage ")


@pytest.mark.parametrize(
    "variable, value",
    [("STORAGE_BACKEND", "ftp"), ("AWS_S3_ADDRESSING_STYLE", "sideways"), ("UPLOADS_PER_PARTNERSHIP_PER_HOUR", "0")],
)
def test_an_upload_setting_that_cannot_work_stops_start_up(variable, value):
    result = run_manage("check", **PRODUCTION, **SERVICES, **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_development_keeps_uploads_on_the_disk():
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_STORAGE],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "twinning.settings.development"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("django.core.files.storage.FileSystemStorage ")
