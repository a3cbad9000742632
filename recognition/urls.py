"""Pages of recognition/, under /recognition/ (the "recognition" namespace). Each area's
views module holds its own patterns."""

from .views import districts, leaderboard, nominations, sections

urlpatterns = [
    *sections.urlpatterns,
    *districts.urlpatterns,
    *leaderboard.urlpatterns,
    *nominations.urlpatterns,
]
