"""Text typed by people, checked in one place: single-line fields and searches.

A name or a subject is one line of visible text. Pasted text, a hostile client or an
e-mail header can bring line breaks, NULs, escape codes and invisible format
characters (a right-to-left override that makes "fdp.exe" read as "exe.pdf", a
zero-width space that makes two equal-looking names differ). Single-line fields
collapse them away on input (SingleLineCharField, on the model and in every form
built from it); where collapsing would change what was asked (a search), the text is
refused with a message instead (reject_invisible).
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# Unicode categories that are never part of one line of visible text: controls (Cc:
# NUL, TAB, CR, LF, ESC…), format characters (Cf: bidi overrides and isolates, zero-width
# spaces and joiners, the BOM, soft hyphens) and the line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

_SPACES = re.compile(r"\s+")


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def invisible_characters(text: str) -> list[str]:
    """The distinct invisible characters in `text`, in order of appearance."""
    return list(dict.fromkeys(char for char in text or "" if is_invisible(char)))


def describe_characters(chars) -> str:
    """«А» (U+0410), U+200B: each character as people can find it again; invisible ones
    by code point only, since shown they would be nothing (or would turn the text)."""
    return ", ".join(
        f"U+{ord(char):04X}" if is_invisible(char) else f"«{char}» (U+{ord(char):04X})" for char in dict.fromkeys(chars)
    )


def single_line(text: str) -> str:
    """`text` as one line: line breaks, tabs and other controls become one space,
    invisible format characters go, runs of spaces shrink to one, ends are trimmed."""
    if not text:
        return text
    if text.isprintable():
        # No control, format or separator character (isprintable() is False for
        # categories C* and Z* except the space): only spaces to tidy. The usual case,
        # checked in C; the loop below costs a microsecond per character.
        return _SPACES.sub(" ", text).strip()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category in INVISIBLE_CATEGORIES else char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def reject_invisible(text: str, *, message: str) -> None:
    """Raise ValidationError(`message` % {"chars": …}) if `text` holds invisible characters."""
    found = invisible_characters(text)
    if found:
        raise ValidationError(message % {"chars": describe_characters(found)}, code="invisible_characters")


class SingleLineFormField(forms.CharField):
    """A CharField that collapses its input to one line before any validation."""

    def to_python(self, value):
        return single_line(super().to_python(value))


class SingleLineCharField(models.CharField):
    """A CharField that never stores line breaks or invisible characters.

    Collapsed by full_clean() and by every ModelForm (admin included) through its form
    field, and once more when the row is saved, whoever wrote it.
    """

    def to_python(self, value):
        return single_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = single_line(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineFormField, **kwargs})


class SearchField(forms.CharField):
    """A search box: invisible characters (a NUL, an escape code) cannot be searched
    for, so they are refused with a message rather than ignored or silently dropped."""

    def to_python(self, value):
        value = super().to_python(value)
        reject_invisible(
            value,
            message=_(
                "La búsqueda contiene caracteres invisibles o de control (%(chars)s) que no se pueden buscar. "
                "Escríbala de nuevo con letras, números y signos."
            ),
        )
        return value
