from .content import (
    RESERVED_SLUGS,
    Article,
    ArticleQuerySet,
    Byline,
    Series,
    Tag,
    TaggedArticle,
    image_path,
    validate_series_slug,
)
from .editorial import PreviewLink, Recorded, Revision, WorkflowEvent

__all__ = [
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
    "WorkflowEvent",
    "image_path",
    "validate_series_slug",
]
