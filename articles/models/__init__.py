from .content import (
    CARD_FIELDS,
    RESERVED_SLUGS,
    Article,
    ArticleQuerySet,
    Byline,
    Series,
    Tag,
    TaggedArticle,
    TrashedArticle,
    image_path,
    validate_series_slug,
)
from .editorial import REVISION_FIELDS, TEXT_FIELDS, PreviewLink, Recorded, Revision, WorkflowEvent

__all__ = [
    "CARD_FIELDS",
    "REVISION_FIELDS",
    "TEXT_FIELDS",
    "RESERVED_SLUGS",
    "Article",
    "ArticleQuerySet",
    "Byline",
    "PreviewLink",
    "Recorded",
    "Revision",
    "Series",
    "Tag",
    "TaggedArticle",
    "TrashedArticle",
    "WorkflowEvent",
    "image_path",
    "validate_series_slug",
]
