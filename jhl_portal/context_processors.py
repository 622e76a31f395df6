from django.conf import settings


def language_choices(request):
    """The languages for the footer's switch, each named in itself ("English" even on
    a Spanish page): Django's get_available_languages would translate the names."""
    return {"language_choices": settings.LANGUAGES}
