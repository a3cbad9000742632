"""The admin site: Django's, without building the list of every app and model on every page.

Django's site puts that list (about seventy models: a permission check and two URLs each) into
the context of every admin page for the navigation sidebar; it was half the time of a short
changelist. Here the sidebar is off (the breadcrumbs and the index lead to every model) and the
list is built only when a page reads it: the index and the app pages.

INSTALLED_APPS names `TwinningAdminConfig` instead of "django.contrib.admin".
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class TwinningAdminSite(admin.AdminSite):
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(partial(super().get_app_list, request, app_label))


class TwinningAdminConfig(AdminConfig):
    default_site = "twinning.admin_site.TwinningAdminSite"
