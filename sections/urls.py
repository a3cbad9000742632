"""Pages of sections/, under /sections/. The web layer mounts them with the section pages
that higher apps add (the readiness self-assessment, the partner finder)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
]
