"""Pages of evaluation/. Most live under a section's or a partnership's address, so the web
layer mounts each list beside the lower app's own pages, under that app's URL names; the
public stories have an address and a namespace of their own."""

from django.urls import path

from . import story_views, views

# Under /sections/ (names in the "sections" namespace).
section_urlpatterns = [
    path("<slug:slug>/readiness/", views.readiness, name="readiness"),
]

# Under /partnerships/ (names in the "partnerships" namespace).
partnership_urlpatterns = [
    path("<int:pk>/check-ins/<int:checkin_id>/", views.checkin, name="checkin"),
]

# Under /stories/ (the "stories" namespace): public, anonymous visitors included.
story_urlpatterns = [
    path("", story_views.story_list, name="list"),
    path("<int:pk>/", story_views.story_detail, name="detail"),
    path("<int:pk>/photo/", story_views.story_photo, name="photo"),
]
