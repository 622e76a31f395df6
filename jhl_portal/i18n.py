"""Translated words a page writes dozens of times, looked up once per language.

A list page writes fifty dates, twenty-five states and as many "Abierto por …"; each
gettext() walks the catalogue's fallback chain, and together they were a tenth of a
page rendered afresh (issue 10, cProfile). The catalogues never change while the
process runs, so a word's translation is kept per language and argument.
"""

from functools import wraps

from django.utils import translation


def once_per_language(function):
    """Keep `function`'s (hashable-argument) results per active language."""
    kept = {}

    @wraps(function)
    def wrapper(*args):
        key = (translation.get_language(), *args)
        try:
            return kept[key]
        except KeyError:
            value = kept[key] = function(*args)
            return value

    return wrapper
