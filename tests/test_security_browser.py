"""The Content-Security-Policy in a real browser: the admin's scripts (body preview,
autocomplete) still work, and no page reports a violation."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.test_browser import EDITOR, log_in

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

# Injected by the browser itself (DevTools), so the policy cannot block the listener.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def violations(browser):
    return browser.execute_script("return window.cspViolations")


def wait_for(browser, selector, seconds=10):
    return WebDriverWait(browser, seconds).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, selector))
    )


def test_the_admin_works_under_the_policy_with_no_violation(browser, editor, article):
    # Earlier browser tests flushed the database: content type ids cached then are stale.
    ContentType.objects.clear_cache()
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    log_in(browser, "editor")
    assert violations(browser) == []
    browser.get(browser.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    assert "Content-Security-Policy" not in browser.page_source  # no meta fallback needed
    # The body preview (static/js/body_preview.js, a frame in the site's styles) follows
    # the typing.
    body = wait_for(browser, EDITOR)
    body.send_keys("\n\n## Written under the policy\n")
    WebDriverWait(browser, 10).until(
        lambda b: (
            "Written under the policy"
            in b.execute_script(
                "const f = document.querySelector('iframe.body-preview');"
                "return f && !f.hidden && f.contentDocument ? f.contentDocument.body.innerText : ''"
            )
        )
    )
    frame_styles = browser.execute_script(
        "return document.querySelector('iframe.body-preview').contentDocument.styleSheets.length"
    )
    assert frame_styles == 1  # the site's stylesheet, allowed in the frame
    # The author autocomplete (select2): open, search the server, choose.
    browser.find_element(By.CSS_SELECTOR, ".field-author .select2-selection").click()
    search = wait_for(browser, ".select2-search__field")
    search.send_keys("Kenro")
    option = wait_for(browser, ".select2-results__option--highlighted")
    assert "Kenro Nagoshi" in option.text
    search.send_keys(Keys.ENTER)
    # The date widgets' calendar, shown and hidden by admin JavaScript.
    browser.find_element(By.CSS_SELECTOR, ".field-published_at .date-icon").click()
    assert wait_for(browser, ".calendarbox").is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".calendarbox .calendar-cancel a").click()
    assert violations(browser) == []
    browser.find_element(By.NAME, "_save").click()
    outcome = WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote")
    )
    assert "successfully" in outcome[0].text, browser.find_element(By.ID, "content").text
    assert violations(browser) == []
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_trashedarticle_changelist"),
        reverse("admin:translations_desk"),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        article.get_absolute_url(),
        "/en/search/?q=Russia",
    ]:
        browser.get(browser.base_url + url)
        assert violations(browser) == [], url
    # The stylesheet in the page's head applies under the policy: the header is the site's navy.
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.value_of_css_property("background-color") == "rgba(20, 50, 92, 1)"
    # The policy is in force, and the listener hears it: an inline script is refused.
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        "document.body.append(s);"
    )
    assert browser.execute_script("return window.ran") is None
    assert any(v.startswith("script-src") for v in violations(browser))
