"""The commentaries' filters, declared once: django-filter checks each value (a 400 names
the parameter) and drf-spectacular documents them."""

import django_filters as filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class CommentaryFilter(filters.FilterSet):
    language = filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("language"))
    series = filters.CharFilter(field_name="series__slug", label=_("series (its slug)"))
    number = filters.NumberFilter(min_value=1, max_value=999_999_999, label=_("number"))
    author = filters.CharFilter(method="by_author", label=_("author (their slug)"))
    topic = filters.CharFilter(method="by_topic", label=_("topic (its slug)"))
    published_after = filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", label=_("published at or after")
    )
    published_before = filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", label=_("published before")
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated", lookup_expr="gte", label=_("saved at or after")
    )

    class Meta:
        model = Article
        fields = []

    # Through subqueries, not joins: a piece by two of the named authors is listed once.
    def by_author(self, queryset, name, value):
        return queryset.filter(pk__in=Article.objects.filter(authors__slug=value).values("pk"))

    def by_topic(self, queryset, name, value):
        return queryset.filter(pk__in=Article.objects.filter(tags__slug=value).values("pk"))
