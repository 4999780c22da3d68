"""The commentary form as staff work with it: a button per step (Save draft, Submit for
review, Publish, Schedule) by role, the authors near the top, the number following the
series, the bio line without a doubled name, and one name per state."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Series, WorkflowEvent
from tests.forms import article_form, edit_form
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NEXT_NUMBER = reverse("admin:articles_article_next_number")


def buttons(response):
    return [name for name, _label in response.context["work_buttons"]]


def local(moment):
    moment = timezone.localtime(moment)
    return {"published_at_0": f"{moment:%Y-%m-%d}", "published_at_1": f"{moment:%H:%M:%S}"}


def test_a_writer_saves_a_draft_or_submits_it_and_never_sees_a_status_list(
    staff, client_for, series, author
):
    writer = client_for(staff("Writer"))
    page = writer.get(ADD_URL)
    assert buttons(page) == ["_save_draft", "_submit_review"]
    html = page.content.decode()
    assert '<select name="status"' not in html and '<input type="hidden" name="status"' in html
    assert 'value="Save draft"' in html and 'value="Publish"' not in html

    response = writer.post(ADD_URL, article_form(series, author, _submit_review="1"))
    assert response.status_code == 302
    article = Article.objects.get(number=437)
    assert article.status == Article.Status.REVIEW
    assert WorkflowEvent.objects.get(article=article).to_status == Article.Status.REVIEW


def test_save_draft_keeps_the_form_open_and_the_piece_a_draft(staff, client_for, series, author):
    writer = client_for(staff("Writer"))
    response = writer.post(ADD_URL, article_form(series, author, _save_draft="1"))
    article = Article.objects.get(number=437)
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert article.status == Article.Status.DRAFT
    again = writer.post(change_url(article), edit_form(article, title="Retitled", _save_draft="1"))
    assert again.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Retitled", Article.Status.DRAFT)


def test_a_writer_cannot_publish_by_crafting_the_button(staff, client_for, series, author, client):
    writer = client_for(staff("Writer"), "ja")
    for step in ["_publish", "_schedule"]:
        response = writer.post(ADD_URL, article_form(series, author, **{step: "1"}))
        assert response.status_code == 200
        assert "公開と公開予約ができるのは編集者だけです。" in response.content.decode()
    assert not Article.objects.exists()


def test_an_editor_publishes_now_from_the_form(editor_client, series, author, client):
    page = editor_client.get(ADD_URL)
    assert buttons(page) == ["_save_draft", "_submit_review", "_publish", "_schedule"]
    later = timezone.now() + timedelta(days=3)  # "Publish" means now, whatever the date says
    response = editor_client.post(
        ADD_URL, article_form(series, author, _publish="1", **local(later))
    )
    assert response.status_code == 302
    article = Article.objects.get(number=437)
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_editor_schedules_a_piece_which_stays_hidden_until_then(
    editor_client, series, author, client
):
    soon = timezone.now() + timedelta(days=2)
    response = editor_client.post(
        ADD_URL, article_form(series, author, _schedule="1", **local(soon))
    )
    assert response.status_code == 302
    article = Article.objects.get(number=437)
    assert article.state == Article.State.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduling_needs_a_time_in_the_future(editor_client, series, author):
    past = timezone.now() - timedelta(hours=1)
    for dates in [local(past), {}]:
        response = editor_client.post(ADD_URL, article_form(series, author, _schedule="1", **dates))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["published_at"] == [
            "Choose a time in the future to schedule the piece for."
        ]
    assert not Article.objects.exists()


def test_an_editor_publishes_a_draft_in_review(editor_client, make_article, client):
    piece = make_article(status="review", published_at=None)
    assert buttons(editor_client.get(change_url(piece))) == ["_save_draft", "_publish", "_schedule"]
    response = editor_client.post(change_url(piece), edit_form(piece, _publish="1"))
    assert response.status_code == 302
    assert client.get(piece.get_absolute_url()).status_code == 200


def test_an_editor_saving_a_piece_in_review_leaves_it_in_review(editor_client, make_article):
    piece = make_article(status="review", published_at=None)
    response = editor_client.post(
        change_url(piece), edit_form(piece, title="Edited", _save_draft="1")
    )
    assert response.status_code == 302 and response["Location"] == change_url(piece)
    piece.refresh_from_db()
    assert (piece.title, piece.status) == ("Edited", Article.Status.REVIEW)


def test_a_live_piece_keeps_its_save_and_pending_change_buttons(editor_client, staff, article):
    page = editor_client.get(change_url(article))
    assert buttons(page) == []
    html = page.content.decode()
    assert 'name="_save"' in html and 'name="_propose"' in html and 'name="_publish"' not in html


def test_the_authors_come_before_the_text(editor_client, article):
    html = editor_client.get(change_url(article)).content.decode()
    assert html.index('id="bylines-group"') < html.index('name="lead"')
    assert html.count('id="bylines-group"') == 1
    assert html.index('name="title"') < html.index('id="bylines-group"')


def test_the_next_number_follows_the_series_chosen(staff, client_for, article, series):
    notes = Series.objects.create(
        slug="research-notes", name_en="Research Notes", name_ja="研究ノート"
    )
    writer = client_for(staff("Writer"), "ja")
    assert writer.get(NEXT_NUMBER, {"series": series.pk}).json() == {"number": 435}
    assert writer.get(NEXT_NUMBER, {"series": notes.pk}).json() == {"number": 1}
    initial = writer.get(ADD_URL, {"series": notes.pk}).context["adminform"].form.initial
    assert (str(initial["series"]), initial["number"]) == (str(notes.pk), 1)
    for bad in ["", "x", "99999"]:
        response = writer.get(NEXT_NUMBER, {"series": bad})
        assert response.status_code == 400
        assert response.json() == {"error": "シリーズを選んでください。"}


def test_the_number_and_count_are_wired_for_the_script(staff, client_for):
    html = client_for(staff("Writer"), "ja").get(ADD_URL).content.decode()
    assert f'data-next-number-url="{NEXT_NUMBER}"' in html
    assert "%(characters)s文字（空白・改行を除く）・約%(minutes)s分で読めます" in html
    assert "js/article_form.js" in html
    assert 'value="下書き保存"' in html and 'value="確認に提出"' in html


def test_the_next_number_is_for_staff_who_may_add(client):
    assert client.get(NEXT_NUMBER, {"series": 1}).status_code == 302  # to the login page


# The bio line


def test_a_bio_typed_as_the_old_site_wrote_it_does_not_double_the_name(author, make_article):
    author.bio_en = "Kenro Nagoshi is Professor at Takushoku University."
    author.bio_ja = "名越健郎　拓殖大学海外事情研究所教授"
    assert author.bio_line("en") == "Kenro Nagoshi is Professor at Takushoku University."
    assert author.bio_line("ja") == "名越 健郎　拓殖大学海外事情研究所教授"
    author.bio_en = "kenro nagoshi, Professor at Takushoku University"
    assert author.bio_line("en") == "Kenro Nagoshi is Professor at Takushoku University."
    author.bio_en = "Professor at Takushoku University"
    assert author.bio_line("en") == "Kenro Nagoshi is Professor at Takushoku University."


def test_a_piece_saved_in_the_admin_gets_one_name_in_its_bio(editor_client, series, author):
    author.bio_en = "Kenro Nagoshi is Professor at Takushoku University"
    author.save()
    editor_client.post(ADD_URL, article_form(series, author, _save_draft="1"))
    note = Article.objects.get(number=437).author_note
    assert note == "Kenro Nagoshi is Professor at Takushoku University."


# One name per state


def test_each_state_has_one_japanese_name_and_review_is_not_peer_review():
    with translation.override("ja"):
        for value in ["draft", "review"]:
            assert Article.Status(value).label == Article.State(value).label
        assert Article.Status.ARCHIVED.label == Article.State.UNPUBLISHED.label == "非公開"
        assert Article.State.REVIEW.label == "確認待ち"
    catalogue = Path(settings.BASE_DIR, "locale/ja/LC_MESSAGES/django.po").read_text()
    translated = [line for line in catalogue.splitlines() if line.startswith("msgstr")]
    assert not [line for line in translated if "査読" in line]


def test_the_list_and_the_form_name_a_piece_in_review_alike(staff, client_for, make_article):
    editor = client_for(staff("Editor"), "ja")
    make_article(status="review", published_at=None)
    listing = editor.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "確認待ち" in listing and "査読" not in listing
