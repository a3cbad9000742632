from django.urls import path

from evaluation import views as evaluation_views

from . import views

app_name = "sections"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/readiness/", evaluation_views.readiness, name="readiness"),
    path("<slug:slug>/partners/", views.partners, name="partners"),
    path("<slug:slug>/partners/<slug:candidate_slug>/", views.partner_decision, name="partner_decision"),
]
