from django.utils.translation import get_language


def localized(obj, field, language=None):
    """The Japanese or English variant of a field, whichever is filled, the page's first."""
    language = (language or get_language() or "ja")[:2]
    other = "en" if language == "ja" else "ja"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{other}", "")
