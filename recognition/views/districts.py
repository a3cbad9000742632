"""Pages of recognition/ (districts)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
