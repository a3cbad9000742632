"""Where uploaded files (signed agreements, story photos) are kept.

Development keeps them on the local disk under MEDIA_ROOT. Production runs web processes
on several machines, so a file one of them stored must be readable by all: there uploads go
to an S3-compatible object store (AWS S3, MinIO, Ceph, a cloud provider's) through
django-storages. `default_storage(...)` reads the environment when a settings module calls
it, and nothing happens on import.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .env import env_required, env_str

FILESYSTEM = "filesystem"
S3 = "s3"
BACKENDS = (FILESYSTEM, S3)


def storage_backend(default: str) -> str:
    """STORAGE_BACKEND from the environment, or `default`: filesystem or s3."""
    backend = env_str("STORAGE_BACKEND", default).lower()
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"STORAGE_BACKEND={backend!r}: use filesystem or s3.")
    return backend


def s3_options(*, bucket_name: str | None = None, **overrides) -> dict:
    """django-storages' S3 options from the environment (README, Uploaded files); the
    bucket must be named. Access keys may be left unset where the machine's role or boto3's
    own configuration gives them. Arguments win over the environment (the tests' server)."""
    addressing_style = env_str("AWS_S3_ADDRESSING_STYLE")
    if addressing_style not in (None, "auto", "path", "virtual"):
        raise ImproperlyConfigured(f"AWS_S3_ADDRESSING_STYLE={addressing_style!r}: use auto, path or virtual.")
    options = {
        "bucket_name": bucket_name or env_required("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
        "region_name": env_str("AWS_S3_REGION_NAME"),
        "access_key": env_str("AWS_ACCESS_KEY_ID"),
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
        "addressing_style": addressing_style,
        # A folder inside the bucket, when the bucket is shared with something else.
        "location": env_str("AWS_LOCATION", ""),
        # Two uploads of "agreement.pdf" are two objects, as on the disk: never overwritten.
        "file_overwrite": False,
        # No ACL is sent: objects stay as private as the bucket (stores with ACLs disabled
        # refuse a request that names one). The site serves each file itself, behind its
        # permission check, so no object needs a public address.
        "default_acl": None,
        "querystring_auth": True,
    }
    options.update(overrides)
    return options


def default_storage(backend: str) -> dict:
    """The STORAGES["default"] entry for `backend`."""
    if backend == S3:
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options()}
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
