"""What a reader sees in a real browser (headless Chromium)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from articles.models import Article

EDITOR = (
    ".field-body .prose-editor .ProseMirror[contenteditable]"  # the body's editor (body_editor.js)
)

# Serialized rollback: these tests commit, and the roles made by a migration must survive.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_goes_from_home_to_commentary_to_author(browser, article, draft):
    browser.get(browser.base_url + "/en/")
    assert draft.title not in browser.page_source
    browser.find_element(By.LINK_TEXT, article.numbered_title).click()
    assert browser.find_element(By.TAG_NAME, "h1").text == article.numbered_title
    crumbs = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".breadcrumb li")]
    assert crumbs[:2] == ["HOME", "Speaking Out"]
    browser.find_element(By.CSS_SELECTOR, "a[rel=author]").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kenro Nagoshi"


@pytest.mark.parametrize("width", [390, 1280])
def test_commentary_fits_the_screen_without_sideways_scrolling(browser, article, width):
    browser.set_window_size(width, 900)
    browser.get(browser.base_url + article.get_absolute_url())
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    body = browser.find_element(By.CSS_SELECTOR, ".commentary__body")
    assert body.size["width"] <= min(width, 720)
    heading = browser.find_element(By.CSS_SELECTOR, ".commentary__body h2")
    assert heading.is_displayed()


def log_in(browser, username):
    browser.get(browser.base_url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("pw")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    assert find(browser, "#user-tools")


def find(browser, css):
    """The element, once the page that has it has loaded (a click does not wait for it)."""
    return WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def save_and_check(browser, button="_save"):
    browser.find_element(By.NAME, button).click()
    message = find(browser, ".messagelist .success").text
    assert "successfully" in message, message


def test_writer_submits_editor_schedules_and_readers_see_it_when_due(
    browser, django_user_model, series, author
):
    for username, role in (("wanda", "Writer"), ("eda", "Editor")):
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))

    log_in(browser, "wanda")
    browser.get(browser.base_url + reverse("admin:articles_article_add"))
    Select(browser.find_element(By.ID, "id_language")).select_by_value("en")
    browser.find_element(By.ID, "id_title").send_keys("Sea lanes need a shared watch")
    find(browser, EDITOR).send_keys("Opening.\n\n## A sub-heading\n\nMore.")
    # The preview follows the typing, with no click, in the site's article styles.
    frame = find(browser, "iframe.body-preview:not([hidden])")
    browser.switch_to.frame(frame)
    heading = find(browser, ".commentary__body h2")
    assert heading.text == "A sub-heading"
    assert "serif" in heading.value_of_css_property("font-family").lower()
    browser.switch_to.default_content()
    # The author field is a select2 autocomplete; choose the author on the select beneath it.
    browser.execute_script(
        "const select = document.getElementById('id_bylines-0-author');"
        "select.add(new Option(arguments[1], arguments[0], true, true));",
        author.pk,
        author.name,
    )
    # A button per step, no status list; a writer's are Save draft and Submit for review.
    assert not browser.find_elements(By.CSS_SELECTOR, "select#id_status")
    steps = browser.find_elements(By.CSS_SELECTOR, ".work-row input[type=submit]")
    assert [step.get_attribute("name") for step in steps] == ["_save_draft", "_submit_review"]
    browser.find_element(By.ID, "id_comment").send_keys("Ready for review")
    save_and_check(browser, "_submit_review")
    article = Article.objects.get(title="Sea lanes need a shared watch")
    assert article.status == "review"
    browser.find_element(By.CSS_SELECTOR, "#logout-form button").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("logout"))

    log_in(browser, "eda")
    browser.get(browser.base_url + reverse("admin:articles_article_changelist"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "1 commentary waits for review").click()
    browser.find_element(By.LINK_TEXT, "Sea lanes need a shared watch").click()
    due = timezone.localtime(timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    for field, value in (
        ("id_published_at_0", f"{due:%Y-%m-%d}"),
        ("id_published_at_1", f"{due:%H:%M:%S}"),
    ):
        element = browser.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    save_and_check(browser, "_schedule")
    article.refresh_from_db()
    assert article.status == "published" and not article.is_published()
    browser.get(browser.base_url + reverse("admin:articles_article_changelist"))
    assert "Scheduled" in browser.find_element(By.ID, "result_list").text

    # The clock, not a wait: the live server runs in this process, so it travels too.
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        browser.get(browser.base_url + article.get_absolute_url())
        assert "Page not found" in browser.find_element(By.TAG_NAME, "h1").text
    with time_machine.travel(due + timedelta(seconds=1)):
        browser.get(browser.base_url + article.get_absolute_url())
        assert browser.find_element(By.TAG_NAME, "h1").text == article.numbered_title
        browser.get(browser.base_url + "/en/")
        assert article.numbered_title in browser.page_source

        # A correction to the live piece waits, unseen, until the editor publishes it.
        browser.get(browser.base_url + reverse("admin:articles_article_change", args=[article.pk]))
        body = find(browser, EDITOR)
        body.send_keys(Keys.CONTROL, "a")
        body.send_keys("Opening, corrected.\n\n## A sub-heading\n\nMore.")
        browser.find_element(By.NAME, "_propose").click()
        assert "pending" in find(browser, ".messagelist").text
        browser.get(browser.base_url + article.get_absolute_url())
        assert "corrected" not in browser.page_source
        browser.get(browser.base_url + reverse("admin:articles_article_change", args=[article.pk]))
        browser.find_element(By.XPATH, "//button[text()='Publish the change now']").click()
        assert "published" in find(browser, ".messagelist").text
        browser.get(browser.base_url + article.get_absolute_url())
        assert "Opening, corrected." in browser.page_source
    steps = article.events.order_by("created", "pk").values_list("to_status", "user__username")
    steps = list(steps)
    assert steps == [("review", "wanda"), ("published", "eda"), ("published", "eda")]


def test_the_commentary_list_fits_1366_pixels(browser, django_user_model, make_article, link):
    django_user_model.objects.create_superuser("eda", "eda@example.com", "pw")
    for number in range(1, 8):
        title = f"A rather long English title for commentary number {number} of the series"
        english = make_article(number=number, title=title)
        japanese = make_article(number=number, language="ja", title="長い日本語の題名" * 3)
        link(japanese, english)
    make_article(number=99, title="Waiting for review", status="review", published_at=None)
    browser.set_window_size(1366, 900)
    log_in(browser, "eda")
    browser.get(browser.base_url + reverse("admin:articles_article_changelist"))
    results = find(browser, ".results")
    assert (
        browser.execute_script("return arguments[0].scrollWidth", results) <= results.size["width"]
    )
    for column in ("number", "title", "language", "state", "date", "translation_state"):
        header = browser.find_element(By.CSS_SELECTOR, f"#result_list th.column-{column}")
        assert header.is_displayed()
        assert header.location["x"] + header.size["width"] <= 1366, column
    title = browser.find_element(By.CSS_SELECTOR, "#result_list td.field-title")
    assert title.size["height"] < 60  # two lines at most, not five
    banner = browser.find_element(By.CSS_SELECTOR, ".review-waiting").rect
    add = browser.find_element(By.CSS_SELECTOR, ".object-tools .addlink").rect
    apart = banner["y"] >= add["y"] + add["height"] or banner["x"] + banner["width"] <= add["x"]
    assert apart, "the waiting-for-review banner overlaps the Add button"
