"""The admin of commentaries, series, topics and the trash. Declarative ModelAdmins; the
commentary's extra pages are plain views in pages.py; every write is an articles.actions
call, every "may they?" a question to articles.actions.rules."""

from . import site, trash  # noqa: F401  (they register themselves)
from .article import ArticleAdmin
from .parts import BylineInline, PreviewLinkInline, StateFilter

__all__ = ["ArticleAdmin", "BylineInline", "PreviewLinkInline", "StateFilter"]
