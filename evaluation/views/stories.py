"""The public story pages: what completed partnerships achieved, open to anonymous visitors.

Only published stories exist here: an unpublished or withdrawn one answers 404 to everyone,
its photo included. The photo is the only uploaded file the site serves without a login, so
it is served by this view alone (MEDIA is never public) and only as the image it is.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from twinning.uploads import serve_file

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
def story_photo(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.filter(published_at__isnull=False).only("photo"), pk=pk)
    if not story.photo:
        raise Http404("This story has no photo.")
    name = story.photo.name.lower()
    content_type, signature = PHOTO_TYPES.get(name[name.rfind(".") :], (None, None))
    if content_type is None:
        raise Http404("Not an image.")
    try:
        head = story.photo.open("rb").read(len(signature))
    except FileNotFoundError:
        head = signature  # the file is gone: serve_file answers the "missing" page
    if head != signature:
        story.photo.close()
        raise Http404("Not an image.")
    # Shown in its page, as the image type its name and bytes agree on, never sniffed, and
    # sandboxed like every served upload.
    return serve_file(request, story.photo, content_type=content_type, as_attachment=False)
