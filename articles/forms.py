import re
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from authors.models import Author
from core import body as body_markup
from core import lead as lead_markup

from . import editor
from .actions import rules
from .models import TEXT_FIELDS, Article, Series
from .models.reading import ENGLISH_WORDS_PER_MINUTE, JAPANESE_CHARACTERS_PER_MINUTE
from .search import MAX_QUERY_LENGTH, clean_query

ALL_LANGUAGES = "all"
BYLINE_AUTHOR = re.compile(r"bylines-\d+-author")
# The form's steps, one button each (ArticleAdmin.work_buttons): each sets the status (and
# for Publish the date) that the one save action then checks and records.
SAVE_DRAFT, SUBMIT, PUBLISH, SCHEDULE = "_save_draft", "_submit_review", "_publish", "_schedule"
STEPS = (SAVE_DRAFT, SUBMIT, PUBLISH, SCHEDULE)


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


class ArticleAdminForm(forms.ModelForm):
    """The admin's commentary form: the version it was opened at, and a note for the history.

    `request` is set by ArticleAdmin.get_form, so the form knows who is saving. The form
    checks the version under the row lock (held until the admin's transaction ends) to answer
    with the form; articles.actions checks it again before it writes.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Note for the history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded with a change of status, e.g. what to change when returning a piece to "
            "its writer."
        ),
    )
    request = None

    class Meta:
        model = Article
        fields = [
            "series", "number", "language", "title", "slug", "lead", "body", "tags",
            "author_note", "status", "published_at", "unpublish_at",
            "image", "image_alt", "image_caption", "image_credit",
        ]  # fmt: skip
        widgets = {"body": editor.BodyEditor, "lead": editor.LeadEditor}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.version
        pending = getattr(self.instance, "pending_change", None)
        if pending is not None:
            # As tag objects, which taggit's field and widget expect of an initial value.
            self.initial["tags"] = [SimpleNamespace(name=name) for name in pending.tags]
        if "body" in self.fields:
            self.fields["body"].widget.attrs.update(
                {
                    "rows": 30,
                    "data-preview-url": reverse("admin:articles_article_render_body"),
                    "data-preview-label": _("Preview body"),
                    "data-preview-css": static("css/site.css"),
                    # The live count (js/article_form.js), as reading_minutes counts.
                    "data-count-template": _(
                        "%(characters)s characters (spaces and line breaks not counted) · "
                        "about %(minutes)s min to read"
                    ),
                    "data-characters-per-minute": JAPANESE_CHARACTERS_PER_MINUTE,
                    "data-words-per-minute": ENGLISH_WORDS_PER_MINUTE,
                }
            )
        if "series" in self.fields and self.instance.pk is None:
            # The number follows the series chosen (js/article_form.js).
            widget = self.fields["series"].widget  # the admin's wrapper: its select
            getattr(widget, "widget", widget).attrs["data-next-number-url"] = reverse(
                "admin:articles_article_next_number"
            )
        if "status" in self.fields:
            # Set by the buttons of the steps (clean_step), never chosen from a list.
            self.fields["status"].widget = forms.HiddenInput()
        if "status" in self.fields and self.request is not None:
            allowed = rules.allowed_statuses(self.request.user)
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value in allowed
            ]

        # The body's editor (articles.editor): its autosave and media library addresses.
        if "body" in self.fields:
            self.fields["body"].widget.attrs.update(editor.editor_attrs(self.instance))

    def clean_lead(self):
        """The lead reduced to its schema (core.lead), whatever was posted: paragraphs with
        bold, italic, links, sub/superscript, ruby and language spans."""
        text = self.cleaned_data["lead"]
        dropped = editor.dropped_markup(text, editor.LEAD_KEPT)
        if dropped and self.request is not None:
            messages.warning(
                self.request,
                _("The lead cannot hold %(tags)s: removed, the text kept.")
                % {"tags": ", ".join(f"<{name}>" for name in dropped)},
            )
        return lead_markup.clean(text)

    def clean_body(self):
        """The body reduced to the editor's schema, whatever was posted; the writer is told
        what could not be kept."""
        text = self.cleaned_data["body"]
        dropped = editor.dropped_markup(text)
        if dropped and self.request is not None:
            messages.warning(
                self.request,
                _("The body cannot hold %(tags)s: removed, the text kept.")
                % {"tags": ", ".join(f"<{name}>" for name in dropped)},
            )
        cleaned = body_markup.clean(text)
        if not cleaned:
            raise ValidationError(
                _("Nothing in this text can be kept: write the body as text."), code="empty"
            )
        return cleaned

    def clean(self):
        """Refuses a form opened at an older version than the stored one. What was typed is
        kept as a revision by the admin once the form is shown again (request.refused_edit):
        a form only checks."""
        cleaned_data = super().clean()
        self.clean_step(cleaned_data)
        if self.instance.pk is None:
            return cleaned_data
        version = cleaned_data.get("lock_version")
        if version is None:
            raise ValidationError(
                _("This form does not say which version it was opened at: reload and edit again."),
                code="no_version",
            )
        try:
            # The row stays locked until the admin's transaction ends: no other save comes
            # between this check and the save (which checks again, under the same lock).
            rules.check_version(self.instance, version)
        except rules.Conflict as conflict:
            if self.request is not None:
                self.request.refused_edit = (self.instance, self.user(), self.changes(cleaned_data))
            raise ValidationError(
                _(
                    "%(user)s saved this commentary at %(time)s, after you opened it. Your "
                    "changes were not applied, and are kept as a revision: compare it with the "
                    "current text under “Revisions”, then reload and edit again."
                ),
                params={
                    "user": conflict.updated_by or _("someone"),
                    "time": timezone.localtime(conflict.updated).strftime("%H:%M:%S"),
                },
                code="conflict",
            ) from None
        return cleaned_data

    def clean_step(self, cleaned_data):
        """The status (and date) the button pressed asks for; articles.actions checks again
        that the user may set them."""
        step = next((name for name in STEPS if name in self.data), None)
        if step is None or "status" not in self.fields:
            return
        stored = self.instance.status if self.instance.pk else Article.Status.DRAFT
        if step in (PUBLISH, SCHEDULE) and not rules.may_publish(self.user()):
            raise ValidationError(_("Only editors publish and schedule."), code="not_editor")
        now = timezone.now()
        when = cleaned_data.get("published_at")
        if step == SAVE_DRAFT:
            cleaned_data["status"] = stored
        elif step == SUBMIT:
            cleaned_data["status"] = Article.Status.REVIEW
        elif step == PUBLISH:
            cleaned_data["status"] = Article.Status.PUBLISHED
            if when is None or when > now:  # now; a piece backdated keeps its date
                cleaned_data["published_at"] = now
        elif when is None or when <= now:
            self.add_error(
                "published_at", _("Choose a time in the future to schedule the piece for.")
            )
        else:
            cleaned_data["status"] = Article.Status.PUBLISHED

    def user(self):
        return self.request.user if self.request else None

    def changes(self, cleaned_data=None):
        """What this form would write, as the revision fields (TEXT_FIELDS, tags, authors)."""
        cleaned_data = self.cleaned_data if cleaned_data is None else cleaned_data
        changes = {name: cleaned_data[name] for name in TEXT_FIELDS if name in cleaned_data}
        if "tags" in cleaned_data:
            changes["tags"] = sorted(cleaned_data["tags"] or [])
        changes["authors"] = [
            int(value)
            for key, value in sorted(self.data.items())
            if BYLINE_AUTHOR.fullmatch(key)
            and value.isdigit()
            and not self.data.get(key.replace("-author", "-DELETE"))
        ]
        return changes
