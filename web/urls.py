from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluation import urls as evaluation_urls
from partnerships import urls as partnerships_urls
from recognition import urls as recognition_urls
from sections import urls as sections_urls
from twinning.forms import EmailAuthenticationForm

from . import home, inbox, partnership_list, profile, views
from .dashboards import coordinator
from .dashboards import society as society_dashboard

admin.site.site_header = format_lazy(_("{society} Twinning administration"), society=settings.SOCIETY_NAME)
admin.site.site_title = format_lazy(_("{society} Twinning"), society=settings.SOCIETY_NAME)
admin.site.index_title = _("Society administration")

account_patterns = [
    path(
        "login/",
        views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("language/", profile.language, name="language"),
    path("profile/", profile.profile, name="profile"),
    path("profile/details/", profile.profile_details, name="profile_details"),
    path("profile/email/", profile.profile_email, name="profile_email"),
    path("profile/email/<str:token>/", profile.profile_email_confirm, name="profile_email_confirm"),
    path("profile/notices/", profile.profile_notices, name="profile_notices"),
    path("profile/calendar/", profile.calendar_feed_create_view, name="calendar_feed_create"),
    path("profile/calendar/revoke/", profile.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    *sections_urls.invitation_urlpatterns,
    path("", include("django.contrib.auth.urls")),
]

# A lower app's pages with the pages higher apps add under its addresses, in its namespace:
# the lower app never imports the higher one.
section_patterns = [
    *sections_urls.urlpatterns,
    *partnerships_urls.section_urlpatterns,
    *evaluation_urls.section_urlpatterns,
]
partnership_patterns = [
    path("", partnership_list.partnership_list, name="list"),
    *partnerships_urls.urlpatterns,
    *evaluation_urls.partnership_urlpatterns,
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.notices_read_all, name="notices_read_all"),
    path("inbox/<int:pk>/open/", inbox.notice_open, name="notice_open"),
    path("inbox/<int:pk>/read/", inbox.notice_read, name="notice_read"),
    path("calendar/<str:token>.ics", profile.calendar_feed, name="calendar_feed"),
    path("accounts/", include(account_patterns)),
    path("sections/", include((section_patterns, "sections"))),
    path("partnerships/", include((partnership_patterns, "partnerships"))),
    path("lessons/", include((evaluation_urls.lesson_urlpatterns, "lessons"))),
    path("stories/", include((evaluation_urls.story_urlpatterns, "stories"))),
    path("recognition/", include((recognition_urls.urlpatterns, "recognition"))),
    path("dashboard/", coordinator.dashboard, name="dashboard"),
    path("dashboard/export/<slug:table>.csv", coordinator.dashboard_export, name="dashboard_export"),
    path("dashboard/society/", society_dashboard.society_dashboard, name="dashboard_society"),
    path(
        "dashboard/society/export/<slug:table>.csv", society_dashboard.society_export,
        name="dashboard_society_export",
    ),
    path("admin/", admin.site.urls),
]
