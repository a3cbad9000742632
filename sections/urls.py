"""Pages of sections/, under /sections/. The web layer mounts them with the section pages
that higher apps add (the readiness self-assessment, the partner finder)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="directory"),
    # Not a slug (the dot), so no section's address can hide it.
    path("autocomplete.json", views.autocomplete, name="autocomplete"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/invitations/new/", views.invitation_new, name="invitation_new"),
    path("<slug:slug>/invitations/<int:pk>/resend/", views.invitation_resend_view, name="invitation_resend"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
]

# The invitee's link: reached without an account, so the web layer mounts it under /accounts/.
invitation_urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("invitation/<str:token>/renew/", views.invitation_renew_view, name="invitation_renew"),
]
