"""Site-wide middleware."""

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.cache import patch_vary_headers

from tickets.uploads import NameKeepingMultiPartParser


class ChosenLanguageMiddleware:
    """Spanish (es-MX) for everyone, English only for who chose it.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a client
    in Monterrey with an English browser would get a half-English portal. We only honour
    the language cookie that the footer's language switch (Django's set_language
    view) sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class UploadNamesMiddleware:
    """Uploads are parsed by tickets.uploads.NameKeepingMultiPartParser, so a name with
    hidden bidi or zero-width characters is refused rather than silently cleaned.

    Must come before anything reads request.POST or FILES (CsrfViewMiddleware does).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.multipart_parser_class = NameKeepingMultiPartParser
        return self.get_response(request)


class QueryCountMiddleware:
    """Only with settings.BENCHMARK: an X-DB-Queries header with the number of SQL
    queries the request ran, the session's save included (this is the outermost
    middleware), so the benchmark reads it from real responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-DB-Queries"] = str(count)
        return response
