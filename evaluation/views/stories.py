"""The public story pages: what completed partnerships achieved, open to anonymous visitors.

Only published stories exist here: an unpublished or withdrawn one answers 404 to everyone,
its photo included. The photo is the only uploaded file the site serves without a login, so
it is served by this view alone (MEDIA is never public) and only as the image it is.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..models import Story
from ..selectors import stories as story_selectors

LIST_PAGE_SIZE = 12

# The image types a story photo may be, by extension, and the bytes each starts with: a file
# whose content is not the image its name says is not served.
PHOTO_TYPES = {
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(story_selectors.stories_published(), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/stories/list.html", {"page": page, "stories": page.object_list})


@require_safe
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(story_selectors.story_detail(), pk=pk)
    return render(request, "evaluation/stories/detail.html", {"story": story})


@require_safe
def story_photo(request: HttpRequest, pk: int) -> FileResponse:
    story = get_object_or_404(Story.objects.filter(published_at__isnull=False).only("photo"), pk=pk)
    if not story.photo:
        raise Http404("This story has no photo.")
    name = story.photo.name.lower()
    content_type, signature = PHOTO_TYPES.get(name[name.rfind(".") :], (None, None))
    if content_type is None:
        raise Http404("Not an image.")
    try:
        photo = story.photo.open("rb")
    except FileNotFoundError:
        raise Http404("The photo file is missing.") from None
    if photo.read(len(signature)) != signature:
        photo.close()
        raise Http404("Not an image.")
    photo.seek(0)
    response = FileResponse(photo, content_type=content_type, filename=story.photo.name.rsplit("/", 1)[-1])
    # The browser takes the type given, never a guess from the bytes, and runs nothing in it.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
