"""Roles as a desk expects them: translators open and translate what the translation desk
lists, the translation carries the lead image, the trash's pieces lead to the trash."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import actions
from articles.models import Article
from tests.test_images import picture
from translations import actions as translation_actions
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def illustrated_draft(make_article, staff):
    writer = staff("Writer", "wanda")
    draft = make_article(
        language="ja", title="未公開の原文", status="draft", published_at=None,
        created_by=writer, image_alt="海の絵", image_credit="研究所",
    )  # fmt: skip
    draft.image.save("sea.jpg", ContentFile(picture(size=(1200, 800))))
    return draft


def test_a_translator_opens_a_listed_draft_read_only_and_translates_it(
    make_article, staff, client_for
):
    draft = illustrated_draft(make_article, staff)
    translator = client_for(staff("Translator", "toshi"))
    desk = translator.get(reverse("admin:translations_desk"))
    assertContains(desk, "未公開の原文")
    page = translator.get(change_url(draft))
    assert page.status_code == 200
    assert b'name="_save' not in page.content  # read-only: another writer's draft

    response = translator.post(reverse("admin:articles_article_translate", args=[draft.pk]))
    made = Article.objects.get(language="en", number=draft.number)
    assert response.status_code == 302 and response["Location"] == change_url(made)
    assert made.status == "draft" and made.created_by.username == "toshi"
    assert made.image.name == draft.image.name  # the same picture, not a copy
    assert (made.image_alt, made.image_credit) == ("海の絵", "研究所")  # to write in English
    assert TranslationLink.objects.get(translation=made).original == draft
    followed = translator.get(response["Location"])
    assertContains(followed, "Describe its image in English too.")
    assert b'name="_save_draft"' in followed.content  # the translator edits their translation


def test_purging_an_original_keeps_the_image_its_translation_shows(
    make_article, staff, django_capture_on_commit_callbacks
):
    draft = illustrated_draft(make_article, staff)
    editor = staff("Editor")
    translation = translation_actions.create_translation(draft, editor)
    for piece in (draft, translation):
        with django_capture_on_commit_callbacks(execute=True):
            actions.trash(Article.objects.get(pk=piece.pk), editor)
            actions.purge(Article.objects.get(pk=piece.pk), editor)
        # Kept while the translation shows it; gone with the last piece that did.
        assert default_storage.exists(draft.image.name) == (piece == draft)


def test_a_trashed_pieces_change_page_leads_to_the_trash(make_article, staff, client_for):
    editor, writer = staff("Editor"), staff("Writer", "wanda")
    binned = make_article(title="Binned piece", created_by=writer)
    actions.trash(binned, editor)
    response = client_for(editor).get(change_url(binned))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:articles_trashedarticle_changelist"))
    listed = client_for(editor).get(response["Location"])
    assertContains(listed, "Binned piece")
    refused = client_for(writer).get(change_url(binned))
    assert refused.status_code == 403
    assertContains(refused, "is in the trash: an editor can restore it", status_code=403)
    assert client_for(writer, "ja").get(change_url(binned)).content.decode().count("ごみ箱") >= 1


def test_a_translator_may_not_translate_what_is_in_the_trash(make_article, staff, client_for):
    editor = staff("Editor")
    binned = make_article(language="ja", title="捨てた原文")
    actions.trash(binned, editor)
    translator = client_for(staff("Translator"))
    response = translator.post(reverse("admin:articles_article_translate", args=[binned.pk]))
    assert response.status_code == 403
    assert not Article.objects.filter(language="en", number=binned.number).exists()
