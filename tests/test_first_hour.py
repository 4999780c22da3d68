"""Issue 23, the first hour: a new site that says what to do, demo logins that last, quiet
commands, and Japanese titles that break between phrases."""

import builtins
import getpass
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from articles import actions
from articles.models import Article

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def render(source, **context):
    return Template("{% load typography %}" + source).render(Context(context))


# Phrases (BudouX)


def test_japanese_titles_break_only_between_phrases():
    html = render("{{ title|phrases }}", title="能動的サイバー防御の法整備を急げ")
    assert html.replace("<wbr>", "") == "能動的サイバー防御の法整備を急げ"
    assert html.endswith("<wbr>急げ"), "the verb stays with its ending: 急/げ never splits"
    assert "急<wbr>げ" not in html and "一体<wbr>で" not in render(
        "{{ t|phrases }}", t="半導体の補助金は人材育成と一体で"
    )


def test_english_titles_get_no_break_inside_words():
    html = render("{{ title|phrases }}", title="Treat LNG Stockpiles as a Strategic Reserve")
    assert html == "Treat LNG Stockpiles as a Strategic Reserve"


def test_phrases_escape_the_text_before_marking_it_safe():
    html = render("{{ title|phrases }}", title='日本の<script>alert("防衛")</script>戦略')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_cards_and_the_page_title_carry_the_phrase_breaks(client, make_article):
    piece = make_article(language="ja", title="液化天然ガスの備蓄を戦略物資として扱え")
    home = client.get("/ja/").text
    assert "戦略物資と<wbr>して<wbr>扱え</a></h2>" in home
    page = client.get(piece.get_absolute_url()).text
    assert re.search(r'<h1 class="commentary__title">[^<]*<wbr>', page)
    assert "<title>【#434】液化天然ガスの備蓄を戦略物資として扱え |" in page  # no <wbr> there


# Lists and cards: one design, nothing dangling


def test_every_card_has_the_same_band_with_or_without_an_image(client, make_article):
    make_article(number=1, title="One")
    make_article(number=2, title="Two")
    home = client.get("/en/").text
    assert home.count('<div class="card__band">') == 2
    assert home.count('<span class="card__number" aria-hidden="true">#') == 2


def test_a_preview_of_an_undated_piece_shows_no_dangling_separator(client_for, staff, draft):
    writer_piece = draft
    response = client_for(staff("Editor")).get(
        reverse("articles:preview", kwargs={"pk": writer_piece.pk})
    )
    assert response.status_code == 200
    meta = re.search(r'<p class="commentary__meta">(.*?)</p>', response.text, re.S).group(1)
    assert "<time" not in meta
    # The separators are drawn between the parts present: no bare "/" or "·" in the text.
    text_between = re.sub(r"<(span|a)[^>]*>.*?</\1>", "", meta, flags=re.S).strip()
    assert text_between == "", text_between


# Demo logins


def test_demo_logins_stay_the_same_on_every_run_and_have_addresses(settings, client):
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    logins = re.findall(r"(demo-[a-z]+) / (\S+)", first.getvalue())
    assert len(logins) == 4
    assert logins == re.findall(r"(demo-[a-z]+) / (\S+)", second.getvalue())
    assert f"{settings.SITE_URL}/admin/" in first.getvalue()
    assert f"{settings.SITE_URL}/ja/" in first.getvalue()
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert all(user.email.endswith("@example.org") for user in users)
    username, password = logins[1]
    assert users.get(username=username).check_password(password)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # commits, as make run does
def test_the_demo_mails_nobody_but_the_desk_mail_then_reaches_its_editor(settings, mailoutbox):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert mailoutbox == [], "seeding is no news: the terminal shows the logins, not 40 mails"
    writer = get_user_model().objects.get(username="demo-writer")
    actions.submit(Article.objects.get(created_by=writer, status="draft"), writer)
    assert any("demo-editor@example.org" in mail.to for mail in mailoutbox)


# The first admin


def test_first_admin_asks_in_one_language_and_says_what_comes_next(monkeypatch):
    prompts = []
    answers = iter(["founder", "founder@example.org"])

    def typed(prompt=""):
        prompts.append(prompt)
        return next(answers)

    def password(prompt="Password: ", stream=None):
        prompts.append(prompt)
        return "a long enough passphrase 2026"

    monkeypatch.setattr(builtins, "input", typed)
    monkeypatch.setattr(getpass, "getpass", password)

    class Terminal(StringIO):
        def isatty(self):
            return True

    out = StringIO()
    with translation.override("ja"):  # what a manage.py call starts in (LANGUAGE_CODE)
        call_command("first_admin", stdin=Terminal(), stdout=out)
    assert get_user_model().objects.get(username="founder").is_superuser
    assert len(prompts) == 4, prompts
    assert not any(JAPANESE.search(prompt) for prompt in prompts), prompts
    assert prompts[0].startswith("Username")
    assert "add a series" in out.getvalue()
    assert "/admin/" in out.getvalue()


def test_the_empty_admin_says_to_make_a_series_then_a_piece(client_for, editor, request):
    client = client_for(editor)
    page = client.get(reverse("admin:index")).text
    assert "has no series yet" in page
    assert f'<a href="{reverse("admin:articles_series_add")}">Add the first series</a>' in page
    request.getfixturevalue("series")
    page = client.get(reverse("admin:index")).text
    assert "has no series yet" not in page
    assert reverse("admin:articles_article_add") in page
    request.getfixturevalue("make_article")()
    assert "First steps" not in client.get(reverse("admin:index")).text


def test_the_first_steps_are_in_japanese_for_a_japanese_editor(client_for, editor):
    page = client_for(editor, "ja").get(reverse("admin:index")).text
    assert "まだシリーズがありません" in page


# Quiet commands


def test_manage_py_prints_no_banner_nor_warning_on_sqlite(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key != "SECRET_KEY"},
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    output = run.stdout + run.stderr
    assert "AXES" not in output
    assert "W040" not in output
    assert output.strip() == "System check identified no issues (1 silenced)."
