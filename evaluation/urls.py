"""Pages of evaluation/. Most live under a section's or a partnership's address, so the web
layer mounts each list beside the lower app's own pages, under that app's URL names; the
lessons library and the public stories have addresses and namespaces of their own."""

from django.urls import path

from . import views
from .views import closing, lessons, stories

# Under /sections/ (names in the "sections" namespace).
section_urlpatterns = [
    path("<slug:slug>/readiness/", views.readiness, name="readiness"),
]

# Under /partnerships/ (names in the "partnerships" namespace).
partnership_urlpatterns = [
    path("<int:pk>/check-ins/<int:checkin_id>/", views.checkin, name="checkin"),
    path("<int:pk>/evaluation/<slug:kind>/", closing.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/<slug:kind>/confirm/", closing.evaluation_confirm_view, name="evaluation_confirm"),
    path("<int:pk>/evaluation/<slug:kind>/comment/", closing.evaluation_comment_view, name="evaluation_comment"),
    path("<int:pk>/report/", closing.partnership_report, name="report"),
    path("<int:pk>/report.pdf", closing.partnership_report_pdf, name="report_pdf"),
    path("<int:pk>/lessons/new/", lessons.lesson_new, name="lesson_new"),
]

# Under /stories/ (the "stories" namespace): public, anonymous visitors included.
story_urlpatterns = [
    path("", stories.story_list, name="list"),
    path("<int:pk>/", stories.story_detail, name="detail"),
    path("<int:pk>/photo/", stories.story_photo, name="photo"),
]

# Under /lessons/ (names in the "lessons" namespace).
lesson_urlpatterns = [
    path("", lessons.lesson_index, name="list"),
    path("<int:pk>/", lessons.lesson_detail, name="detail"),
    path("<int:pk>/edit/", lessons.lesson_edit, name="edit"),
    path("<int:pk>/helpful/", lessons.lesson_helpful, name="helpful"),
]
