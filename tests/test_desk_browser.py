"""The desk's roles in a real browser: a translator translates a draft the desk lists, and a
refusal is a page that says why, with a way back, at desk and phone widths."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from selenium.webdriver.common.by import By

from articles import actions
from tests.test_browser import find, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def member(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_translator_translates_a_listed_draft_from_the_desk(
    browser, django_user_model, make_article
):
    writer = member(django_user_model, "wanda", "Writer")
    member(django_user_model, "toshi", "Translator")
    draft = make_article(
        language="ja", title="海の安全を分かち合う", status="draft", published_at=None,
        created_by=writer,
    )  # fmt: skip
    log_in(browser, "toshi")
    browser.get(browser.base_url + reverse("admin:translations_desk"))
    browser.find_element(By.LINK_TEXT, draft.title).click()
    # Read-only, with the way to translate it.
    assert not browser.find_elements(By.NAME, "_save")
    assert not browser.find_elements(By.NAME, "_save_draft")
    find(browser, "form[action$='/translate/'] button").click()
    message = find(browser, ".messagelist .success").text
    assert "A linked draft in English was made" in message
    assert browser.find_elements(By.NAME, "_save_draft")  # the translation is the translator's


@pytest.mark.parametrize("width", [1366, 390])
def test_a_refusal_says_why_and_leads_back(browser, django_user_model, make_article, width):
    member(django_user_model, "wanda", "Writer")
    editor = member(django_user_model, "eda", "Editor")
    binned = make_article(title="A piece in the trash")
    actions.trash(binned, editor)
    browser.set_window_size(width, 900)
    log_in(browser, "wanda")
    browser.get(browser.base_url + reverse("admin:articles_article_change", args=[binned.pk]))
    heading = find(browser, ".denied h2").text
    assert "is in the trash: an editor can restore it" in heading
    SHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"admin-refusal-{width}.png"))
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    browser.find_element(By.LINK_TEXT, "Go back").click()
    assert find(browser, "#site-name")  # the admin's index
