from django.conf import settings


def society(request) -> dict:
    return {"society_name": settings.SOCIETY_NAME}
