"""Old addresses and where they lead now; addresses nobody could find (the 404 log)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Series, Tag
from authors.models import Author

# The kinds of page a redirect may lead to by the record itself, not by its address: the
# redirect follows the page wherever it moves (one hop, always).
TARGETS = ("article", "series", "author", "tag")


class Redirect(models.Model):
    class Status(models.IntegerChoices):
        MOVED = 301, _("301 Moved permanently")
        FOUND = 302, _("302 Found (for now)")
        GONE = 410, _("410 Gone")

    class Source(models.TextChoices):
        MANUAL = "manual", _("made by hand")
        FILE = "file", _("imported from a file")
        OLD_SITE = "old-site", _("the old site's import")
        MOVED = "moved", _("made when a page moved")

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_("The path alone, starting with “/”, e.g. /weekly/archives/1234"),
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("commentary"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    new_path = models.CharField(
        _("new address"),
        max_length=500,
        blank=True,
        help_text=_(
            "Where no commentary, series, author or tag is chosen: a path on this site "
            "(/en/about/) or a full address (https://…)."
        ),
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.MOVED
    )
    source = models.CharField(
        _("made by"), max_length=10, choices=Source.choices, default=Source.MANUAL, editable=False
    )
    hits = models.PositiveIntegerField(_("hits"), default=0, editable=False)
    last_hit = models.DateTimeField(_("last hit"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        get_latest_by = "created"
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(old_path__startswith="/"), name="redirect_old_path_is_a_path"
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.destination() or self.get_status_display()}"

    def target(self):
        return next((getattr(self, name) for name in TARGETS if getattr(self, name + "_id")), None)

    def destination(self, language=None):
        """Where the redirect leads now: the page's address in the old address's language,
        or the address given; "" for a redirect to nothing (410, or its page deleted)."""
        target = self.target()
        if target is None:
            return self.new_path
        with translation.override(language or language_of(self.old_path)):
            return target.get_absolute_url()

    def clean(self):
        targets = [name for name in TARGETS if getattr(self, name + "_id")]
        if len(targets) + bool(self.new_path) > 1:
            raise ValidationError(_("Choose one destination: a page, or an address."))
        if self.status != self.Status.GONE and not (targets or self.new_path):
            raise ValidationError(_("Choose where the old address leads, or make it 410 Gone."))


def language_of(path):
    """The language of a path of this site by its prefix (/en/…), else the site's own."""
    code = path.strip("/").split("/", 1)[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class NotFound(models.Model):
    """An address that was asked for and led nowhere: the Editors' list of redirects to make."""

    path = models.CharField(_("address"), max_length=500, unique=True)
    hits = models.PositiveIntegerField(_("hits"), default=1)
    first_seen = models.DateTimeField(_("first asked for"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last asked for"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        get_latest_by = "last_seen"
        verbose_name = _("address not found")
        verbose_name_plural = _("addresses not found (404)")

    def __str__(self):
        return self.path
