"""The commentary form's script in a real browser: the live character count and reading
time, and the number that follows the series chosen."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from articles.models import Series
from tests.test_browser import find, log_in
from tests.test_security_browser import LISTEN, violations

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_the_count_follows_the_typing_and_the_number_follows_the_series(
    browser, django_user_model, make_article, series
):
    writer = django_user_model.objects.create_user("wanda", password="pw", is_staff=True)
    writer.groups.add(Group.objects.get(name="Writer"))
    make_article(number=434)
    notes = Series.objects.create(
        slug="research-notes", name_en="Research Notes", name_ja="研究ノート"
    )
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    log_in(browser, "wanda")
    browser.get(browser.base_url + reverse("admin:articles_article_add") + f"?series={series.pk}")

    Select(browser.find_element(By.ID, "id_language")).select_by_value("ja")
    # The body's rich-text editor where there is one (issue 18), else its textarea.
    editors = browser.find_elements(
        By.CSS_SELECTOR, ".field-body .prose-editor .ProseMirror[contenteditable]"
    )
    body = editors[0] if editors else browser.find_element(By.ID, "id_body")
    body.send_keys("## 見出し\n\n日本の 安全保障。\n\n[リンク](https://example.org/)")
    count = find(browser, ".body-count")
    # 見出し 日本の安全保障。 リンク: 3 + 8 + 3 characters, markup and spaces not counted.
    WebDriverWait(browser, 10).until(lambda _driver: count.text.startswith("14 characters"))
    assert count.text.startswith("14 characters (spaces and line breaks not counted)")
    assert count.text.endswith("about 1 min to read")

    number = browser.find_element(By.ID, "id_number")
    assert number.get_attribute("value") == "435"
    Select(browser.find_element(By.ID, "id_series")).select_by_value(str(notes.pk))
    WebDriverWait(browser, 10).until(lambda _driver: number.get_attribute("value") == "1")
    # A number typed by hand is the writer's: a change of series leaves it.
    number.clear()
    number.send_keys("77")
    Select(browser.find_element(By.ID, "id_series")).select_by_value(str(series.pk))
    assert number.get_attribute("value") == "77"
    assert violations(browser) == []
