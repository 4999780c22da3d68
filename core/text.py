"""Text as it is stored: no control characters but newline and tab, whichever way it came in
(forms, the admin, imports, code), so that every page and feed can always write it out."""

import re

from django.db import models
from taggit.utils import _parse_tags

# C0 and C1 controls other than tab and newline, DEL, lone surrogates and non-characters;
# carriage returns and the word processors' line breaks become newlines first.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85]")
SINGLE_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85]")


def clean_text(value, single_line=False):
    if not isinstance(value, str):
        return value
    breaks = SINGLE_LINE_BREAKS if single_line else LINE_BREAKS
    return CONTROL_CHARACTERS.sub("", breaks.sub(" " if single_line else "\n", value))


def clean_text_fields(instance):
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            single_line = not isinstance(field, models.TextField)
            setattr(instance, field.attname, clean_text(value, single_line=single_line))


class CleansText:
    """Model mixin: text fields are cleaned before validation (so a title of control
    characters alone is blank) and again before every save."""

    def clean_fields(self, exclude=None):
        clean_text_fields(self)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)


def parse_tags(tagstring):
    """taggit's parser (TAGGIT_TAGS_FROM_STRING), on cleaned text: a tag is looked up by the
    name it will be stored under."""
    return _parse_tags(clean_text(tagstring, single_line=True))
