"""Pages of evaluation/. Most live under a section's or a partnership's address, so the web
layer mounts each list beside the lower app's own pages, under that app's URL names; the
public stories have an address and a namespace of their own."""

from django.urls import path

from . import story_views, views, views_closing

# Under /sections/ (names in the "sections" namespace).
section_urlpatterns = [
    path("<slug:slug>/readiness/", views.readiness, name="readiness"),
]

# Under /partnerships/ (names in the "partnerships" namespace).
partnership_urlpatterns = [
    path("<int:pk>/check-ins/<int:checkin_id>/", views.checkin, name="checkin"),
    path("<int:pk>/evaluation/<slug:kind>/", views_closing.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/<slug:kind>/confirm/", views_closing.evaluation_confirm_view, name="evaluation_confirm"),
    path("<int:pk>/evaluation/<slug:kind>/comment/", views_closing.evaluation_comment_view, name="evaluation_comment"),
    path("<int:pk>/report/", views_closing.partnership_report, name="report"),
    path("<int:pk>/report.pdf", views_closing.partnership_report_pdf, name="report_pdf"),
]

# Under /stories/ (the "stories" namespace): public, anonymous visitors included.
story_urlpatterns = [
    path("", story_views.story_list, name="list"),
    path("<int:pk>/", story_views.story_detail, name="detail"),
    path("<int:pk>/photo/", story_views.story_photo, name="photo"),
]
