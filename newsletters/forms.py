from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Series

from .models import Newsletter

LANGUAGES = [("ja", "日本語"), ("en", "English"), ("both", _("Both"))]


def consent_text():
    return _(
        "I agree to receive these newsletters by e-mail, and to the institute keeping my "
        "address and this consent until I unsubscribe (a link in every mail)."
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGES, initial="both", widget=forms.RadioSelect
    )
    series = forms.ModelMultipleChoiceField(
        label=_("Series"),
        queryset=Series.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one series.")},
    )

    def newsletters(self):
        data = self.cleaned_data
        languages = ["ja", "en"] if data["language"] == "both" else [data["language"]]
        return Newsletter.objects.filter(
            active=True, series__in=data["series"], language__in=languages
        )


class PreferencesForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        label=_("Lists"),
        queryset=Newsletter.objects.filter(active=True).select_related("series"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
