"""The commentaries' filters, declared once: django-filter checks each value (a 400 names
the parameter) and drf-spectacular documents them."""

from datetime import UTC

import django_filters as filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from articles.models import Article


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 999_999_999})
class NumberFilter(filters.NumberFilter):
    """A commentary number: a whole number (django-filter's own takes decimals)."""

    field_class = forms.IntegerField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, in UTC: Postgres refuses offsets past ±15:59 (a 500 otherwise)."""

    def to_python(self, value):
        moment = super().to_python(value)
        try:
            return moment and moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class CommentaryFilter(filters.FilterSet):
    language = filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("language"))
    series = filters.CharFilter(field_name="series__slug", label=_("series (its slug)"))
    number = NumberFilter(min_value=1, max_value=999_999_999, label=_("number"))
    author = filters.CharFilter(method="by_author", label=_("author (their slug)"))
    topic = filters.CharFilter(method="by_topic", label=_("topic (its slug)"))
    published_after = MomentFilter(
        field_name="published_at", lookup_expr="gte", label=_("published at or after")
    )
    published_before = MomentFilter(
        field_name="published_at", lookup_expr="lt", label=_("published before")
    )
    updated_since = MomentFilter(
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
