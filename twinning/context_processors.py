from django.conf import settings

from .notices import unread_count


def society(request) -> dict:
    return {"society_name": settings.SOCIETY_NAME}


def notices(request) -> dict:
    """The bell's unread count, asked only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": lambda: unread_count(user)}
