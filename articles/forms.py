from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from authors.models import Author

from .models import Series
from .search import MAX_QUERY_LENGTH, clean_query

ALL_LANGUAGES = "all"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"maxlength": MAX_QUERY_LENGTH}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[(ALL_LANGUAGES, _("All languages")), *settings.LANGUAGES],
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=pgettext_lazy("series", "All"),
    )
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=Author.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=pgettext_lazy("authors", "All"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", pgettext_lazy("years", "All")),
            *((y, y) for y in years),
        ]
        self.fields["series"].label_from_instance = lambda series: series.name
        self.fields["author"].label_from_instance = lambda author: author.name

    def clean_q(self):
        # Too long is cut, not refused: a reader pasting a paragraph still gets results.
        return clean_query(self.cleaned_data["q"])

    def filters(self, language):
        """Filter arguments for the valid fields; invalid ones are left out, never fatal."""
        data = {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name)
        }
        chosen = data.get("language") or language
        lookups = {} if chosen == ALL_LANGUAGES else {"language": chosen}
        if data.get("series"):
            lookups["series"] = data["series"]
        if data.get("author"):
            lookups["authors"] = data["author"]
        if data.get("year"):
            lookups["published_at__year"] = data["year"]
        return lookups
