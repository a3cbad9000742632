"""Pages of evaluation/. They live under a section's or a partnership's address, so the web
layer mounts each list beside the lower app's own pages, under that app's URL names; the
lessons library has an address of its own, /lessons/ (the "lessons" namespace)."""

from django.urls import path

from . import views
from .views import lessons

# Under /sections/ (names in the "sections" namespace).
section_urlpatterns = [
    path("<slug:slug>/readiness/", views.readiness, name="readiness"),
]

# Under /partnerships/ (names in the "partnerships" namespace).
partnership_urlpatterns = [
    path("<int:pk>/check-ins/<int:checkin_id>/", views.checkin, name="checkin"),
    path("<int:pk>/lessons/new/", lessons.lesson_new, name="lesson_new"),
]

# Under /lessons/ (names in the "lessons" namespace).
lesson_urlpatterns = [
    path("", lessons.lesson_index, name="list"),
    path("<int:pk>/", lessons.lesson_detail, name="detail"),
    path("<int:pk>/edit/", lessons.lesson_edit, name="edit"),
    path("<int:pk>/helpful/", lessons.lesson_helpful, name="helpful"),
]
