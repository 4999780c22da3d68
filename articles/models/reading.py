"""What a commentary's pages read of it besides its fields: the lead as HTML and as text,
its authors and topics in order, its reading time, its related pieces and neighbours."""

import re

from django.db import models
from django.db.models import Count
from django.utils.safestring import mark_safe

from core import lead as lead_markup

from .queries import CARD_FIELDS
from .site import Tag

TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")  # quoted values may hold a ">"
JAPANESE_CHARACTERS_PER_MINUTE = 500
ENGLISH_WORDS_PER_MINUTE = 220


class Reading:
    """Mixed into Article (articles.models.content)."""

    @property
    def lead_html(self):
        """The lead for pages that show HTML, as stored: cleaned to its schema (core.lead) by
        every save of a piece or a revision (a pending change's lead shows in the preview)."""
        return mark_safe(self.lead)

    @property
    def lead_text(self):
        """The lead where text is wanted: meta descriptions, feeds, mail text, search."""
        return lead_markup.text(self.lead)

    @property
    def numbered_title(self):
        return str(self)

    @property
    def ordered_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def topics(self):
        # Through the prefetched rows of for_listing(): taggit's own prefetch of `tags`
        # builds a manager per article, which costs more than the query it saves.
        return sorted((item.tag for item in self.tagged_items.all()), key=Tag.sort_key)

    @property
    def reading_minutes(self):
        # The body's HTML comes from core.body.render(), cleaned by nh3: dropping its tags
        # leaves its text, for counting, at a fraction of strip_tags()'s cost (an HTML parser
        # run over the whole body on every page).
        text = TAG.sub("", self.body_html)
        if self.language == "ja":
            units, per_minute = len("".join(text.split())), JAPANESE_CHARACTERS_PER_MINUTE
        else:
            units, per_minute = len(text.split()), ENGLISH_WORDS_PER_MINUTE
        return max(1, round(units / per_minute))

    def default_author_note(self):
        lines = (author.bio_line(self.language) for author in self.ordered_authors)
        return "\n".join(line for line in lines if line)

    def related(self, limit=3):
        """Public pieces in the same language that share the most tags with this one, as
        cards without authors."""
        tags = [item.tag_id for item in self.tagged_items.all()]  # prefetched by the pages
        return (
            self._meta.concrete_model.objects.published()
            .filter(language=self.language, tagged_items__tag__in=tags)
            .exclude(pk=self.pk)
            .annotate(shared_tags=Count("pk"))
            .order_by("-shared_tags", "-published_at")
            .select_related("series")
            .only(*CARD_FIELDS)[:limit]
        )

    def neighbours(self):
        """The previous and next public pieces in the same series and language, as cards
        without authors."""
        siblings = self._meta.concrete_model.objects.published().filter(
            series_id=self.series_id, language=self.language
        )
        before = siblings.filter(number__lt=self.number).order_by("-number").values("pk")[:1]
        after = siblings.filter(number__gt=self.number).order_by("number").values("pk")[:1]
        both = self._meta.concrete_model.objects.filter(models.Q(pk=before) | models.Q(pk=after))
        both = both.select_related("series").only(*CARD_FIELDS)
        found = {article.number < self.number: article for article in both}
        return found.get(True), found.get(False)
