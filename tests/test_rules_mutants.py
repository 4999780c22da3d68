"""The permission rules (articles.actions.rules) at the edges the mutation run found bare
(docs/testing.md): each test here fails when one small change is made to a rule, and says
what a user would notice then."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from articles import actions
from articles.actions import rules
from articles.models import Article, Revision, Series
from articles.signals import commentary_changed
from translations import actions as translation_actions
from translations.models import TranslationLink

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def fresh(article):
    return Article.objects.get(pk=article.pk)


def test_nobody_is_refused_with_a_clear_answer_not_a_crash(draft, make_article):
    # A job or a command with no user behind it is refused, never an AttributeError.
    ja = make_article(number=450, language="ja", status="draft", published_at=None)
    en = make_article(number=450, status="draft", published_at=None)
    with pytest.raises(actions.NotAllowed):
        actions.publish(draft, None)
    with pytest.raises(actions.NotAllowed):
        translation_actions.pair(ja, en, None)
    assert not TranslationLink.objects.exists()
    editor_made = translation_actions.pair(ja, en, actions.SYSTEM)
    with pytest.raises(actions.NotAllowed):
        translation_actions.unpair(editor_made, None)
    assert TranslationLink.objects.filter(pk=editor_made.pk).exists()
    assert not rules.may_change_site(None, Series)
    assert fresh(draft).status == "draft"


def test_a_publisher_without_the_delete_permission_cannot_purge(make_article, staff):
    # A site may give a desk lead publishing without deleting: the trash is then not theirs.
    lead = staff("Writer", "lead")
    lead.user_permissions.add(Permission.objects.get(codename="publish_article"))
    lead = type(lead).objects.get(pk=lead.pk)  # permissions are cached per instance
    binned = make_article(title="Binned")
    actions.trash(binned, lead)  # publishing includes trashing
    with pytest.raises(actions.NotAllowed):
        actions.purge(fresh(binned), lead)
    assert Article.objects.filter(pk=binned.pk).exists()


def test_a_writer_cannot_open_another_writers_draft(make_article, staff, client_for):
    wanda, other = staff("Writer", "wanda"), staff("Writer", "other")
    draft = make_article(status="draft", published_at=None, created_by=wanda)
    assert client_for(other).get(change_url(draft)).status_code == 403
    assert client_for(wanda).get(change_url(draft)).status_code == 200


def test_a_writers_live_piece_opens_without_the_status_to_set(make_article, staff, client_for):
    wanda = staff("Writer", "wanda")
    live = make_article(created_by=wanda)
    page = client_for(wanda).get(change_url(live))
    assert page.status_code == 200
    assert b'name="status"' not in page.content  # only editors publish or unpublish


def test_an_editor_translates_a_writers_draft(make_article, staff):
    draft = make_article(language="ja", status="draft", published_at=None,
                         created_by=staff("Writer", "wanda"))  # fmt: skip
    made = translation_actions.create_translation(draft, staff("Editor"))
    assert TranslationLink.objects.get(translation=made).original == draft


def test_an_editor_asking_to_translate_a_piece_in_the_trash_is_told_so(make_article, staff):
    editor = staff("Editor")
    binned = make_article(language="ja", title="捨てた原文", created_by=staff("Writer"))
    actions.trash(binned, editor)
    with pytest.raises(translation_actions.TranslationError, match="in the trash"):
        translation_actions.create_translation(fresh(binned), editor)


def test_not_even_an_editor_saves_a_piece_in_the_trash(make_article, staff):
    editor = staff("Editor")
    binned = make_article(title="Binned")
    actions.trash(binned, editor)
    stored = fresh(binned)
    stored.title = "Changed in the trash"
    with pytest.raises(actions.NotAllowed):
        actions.save(stored, editor, version=stored.version)
    assert fresh(binned).title == "Binned"


def test_a_writer_cannot_edit_someone_elses_draft_translation(make_article, staff):
    original = make_article(language="ja", status="draft", published_at=None)
    translation = translation_actions.create_translation(original, staff("Translator", "toshi"))
    stored = fresh(translation)
    stored.title = "A writer's change"
    with pytest.raises(actions.NotAllowed):
        actions.save(stored, staff("Writer", "wanda"), version=stored.version)
    assert fresh(translation).title != "A writer's change"


@pytest.mark.parametrize("role", ["Writer", "Translator"])
def test_only_its_writer_or_an_editor_proposes_a_change_to_a_live_piece(make_article, staff, role):
    live = make_article(created_by=staff("Writer", "wanda"))
    with pytest.raises(actions.NotAllowed):
        actions.propose(fresh(live), staff(role), {"title": "Not theirs"}, version=live.version)
    assert not Revision.objects.filter(article=live, pending=True).exists()
    actions.propose(fresh(live), staff("Editor"), {"title": "An editor's"}, version=live.version)
    assert Revision.objects.get(article=live, pending=True).title == "An editor's"


def test_translators_and_not_writers_change_a_pair_of_drafts(make_article, staff):
    def draft_pair(number):
        ja = make_article(number=number, language="ja", status="draft", published_at=None)
        en = make_article(number=number, status="draft", published_at=None)
        return translation_actions.pair(ja, en, actions.SYSTEM)

    first, second = draft_pair(450), draft_pair(451)
    with pytest.raises(actions.NotAllowed):
        translation_actions.unpair(first, staff("Writer"))
    assert TranslationLink.objects.filter(pk=first.pk).exists()
    translation_actions.unpair(second, staff("Translator"))
    assert not TranslationLink.objects.filter(pk=second.pk).exists()


def test_a_stale_save_is_a_conflict_that_says_who_saved_first(make_article, staff):
    wanda = staff("Writer", "wanda")
    draft = make_article(status="draft", published_at=None, created_by=wanda)
    opened = fresh(draft)
    actions.save(fresh(draft), wanda, version=draft.version)
    saved = fresh(draft)
    opened.title = "Typed over an old version"
    with pytest.raises(actions.Conflict) as refused:
        actions.save(opened, wanda, version=draft.version)
    conflict = refused.value
    assert (conflict.version, conflict.updated, conflict.updated_by) == (
        saved.version, saved.updated, "wanda",
    )  # fmt: skip
    # What an import's report prints after "refused: ".
    assert str(conflict) == f"version {saved.version} saved by wanda at {saved.updated}"
    assert fresh(draft).title == saved.title


def test_a_save_that_does_not_say_its_version_is_refused(make_article, staff):
    editor = staff("Editor")
    live = make_article(title="As it was")
    stored = fresh(live)
    stored.title = "From a form with no version"
    with pytest.raises(actions.Conflict):
        actions.save(stored, editor, version=None)
    assert fresh(live).title == "As it was"


def test_a_translators_list_holds_others_drafts_to_translate_and_nothing_in_the_trash(
    make_article, staff, client_for
):
    writer, translator = staff("Writer", "wanda"), staff("Translator", "toshi")
    make_article(number=450, title="Wanda's draft original", status="draft",
                 published_at=None, created_by=writer)  # fmt: skip
    binned = make_article(number=451, title="A piece in the bin", created_by=translator)
    actions.trash(binned, staff("Editor"))
    listed = client_for(translator).get(reverse("admin:articles_article_changelist"))
    assertContains(listed, "Wanda&#x27;s draft original")
    assertNotContains(listed, "A piece in the bin")
    # A writer's list: their own drafts and what is public, not another writer's draft.
    make_article(number=452, title="Other live piece")
    make_article(number=453, title="Wanda's own draft", status="draft", published_at=None,
                 created_by=writer)  # fmt: skip
    others = client_for(staff("Writer", "other")).get(reverse("admin:articles_article_changelist"))
    assertContains(others, "Other live piece")
    assertNotContains(others, "Wanda&#x27;s")
    own = client_for(writer).get(reverse("admin:articles_article_changelist"))
    assertContains(own, "Wanda&#x27;s own draft")


def test_a_writer_writes_a_new_draft_but_gives_it_no_publication_date(series, staff, tomorrow):
    writer = staff("Writer", "wanda")

    def new(number, **dates):
        return Article(series=series, number=number, language="en", status="draft",
                       title=f"Wanda's piece {number}", body="Text.", **dates)  # fmt: skip

    actions.save(new(460), writer)
    assert Article.objects.get(number=460).created_by == writer
    for number, field in ((461, "published_at"), (462, "unpublish_at")):
        with pytest.raises(actions.NotAllowed, match="Only editors set publication dates"):
            actions.save(new(number, **{field: tomorrow}), writer)
        assert not Article.objects.filter(number=number).exists()


@pytest.mark.parametrize("field", ["published_at", "unpublish_at"])
def test_a_writers_save_that_sets_a_date_changes_nothing(make_article, staff, tomorrow, field):
    writer = staff("Writer", "wanda")
    draft = make_article(status="draft", published_at=None, created_by=writer)
    stored = fresh(draft)
    stored.title, stored.body = "Dated by a writer", "Changed."
    setattr(stored, field, tomorrow)
    with translation.override("ja"), pytest.raises(actions.NotAllowed) as refused:
        actions.save(stored, writer, version=stored.version)
    assert str(refused.value) == "公開日時を設定できるのは編集者だけです。"  # the admin says it
    kept = fresh(draft)
    assert (getattr(kept, field), kept.title, kept.version) == (None, draft.title, draft.version)


@pytest.mark.parametrize("status", ["published", "archived"])
def test_a_writer_cannot_publish_their_draft_by_saving_it(make_article, staff, status):
    writer = staff("Writer", "wanda")
    draft = make_article(status="draft", published_at=None, created_by=writer)
    stored = fresh(draft)
    stored.status = status
    with translation.override("ja"), pytest.raises(actions.NotAllowed) as refused:
        actions.save(stored, writer, version=stored.version)
    assert str(refused.value) == "公開、公開予約、非公開にできるのは編集者だけです。"
    assert (fresh(draft).status, fresh(draft).version) == ("draft", draft.version)
    stored = fresh(draft)
    stored.status = "review"  # submitting is theirs
    actions.save(stored, writer, version=stored.version)
    assert fresh(draft).status == "review"


def test_a_writer_edits_a_draft_an_editor_has_dated_and_the_date_stays(
    make_article, staff, tomorrow
):
    writer = staff("Writer", "wanda")
    draft = make_article(status="draft", published_at=None, created_by=writer)
    dated = fresh(draft)
    planned = tomorrow.replace(microsecond=0)  # dates are kept to the second
    dated.published_at = planned  # the editor's planned date, before the piece is ready
    actions.save(dated, staff("Editor"), version=dated.version)
    stored = fresh(draft)
    stored.title = "Wanda's better title"
    actions.save(stored, writer, version=stored.version)
    kept = fresh(draft)
    assert (kept.title, kept.published_at) == ("Wanda's better title", planned)


@pytest.fixture
def heard():
    """What commentary_changed said, which the newsletters, webhooks and PDFs act on."""
    events = []

    def listen(sender, article, event, **kwargs):
        events.append(event)

    commentary_changed.connect(listen)
    yield events
    commentary_changed.disconnect(listen)


def test_at_the_very_second_a_piece_goes_live_or_ends_mail_and_partners_are_told(
    make_article, staff, heard, django_capture_on_commit_callbacks
):
    editor = staff("Editor")
    draft = make_article(status="draft", published_at=None)
    start = datetime(2026, 4, 18, 9, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    end = start + timedelta(days=1)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.publish(fresh(draft), editor, at=start)
    with time_machine.travel(end, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.set_end(fresh(draft), editor, at=end)
    assert heard == ["published", "unpublished"]


def test_a_scheduled_piece_is_announced_again_when_its_text_changes(
    make_article, staff, tomorrow, heard, django_capture_on_commit_callbacks
):
    editor = staff("Editor")
    scheduled = make_article(published_at=tomorrow)
    stored = fresh(scheduled)
    stored.title = "A corrected title before it goes out"
    with django_capture_on_commit_callbacks(execute=True):
        actions.save(stored, editor, version=stored.version)
    assert heard == ["scheduled"]  # partners hold the new title for the same time


def test_a_translator_edits_the_draft_translation_an_editor_made(make_article, staff):
    original = make_article(language="ja", title="原文")
    made = translation_actions.create_translation(original, staff("Editor"))
    stored = fresh(made)
    stored.title = "The translator's English title"
    actions.save(stored, staff("Translator", "toshi"), version=stored.version)
    assert fresh(made).title == "The translator's English title"
