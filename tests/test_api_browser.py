"""The API's documentation in a real browser: Swagger UI, from the site's own static files,
lists the operations under the strict Content-Security-Policy without a single violation."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.test_security_browser import LISTEN, violations

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_the_docs_show_every_operation_with_no_policy_violation(browser, article):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    browser.get(browser.base_url + "/api/v1/docs/")
    operations = WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    )
    paths = {operation.text.replace("\u200b", "") for operation in operations}
    assert {"/api/v1/commentaries/", "/api/v1/commentaries/{id}/", "/api/v1/topics/"} <= paths
    assert "Commentary API" in browser.find_element(By.CSS_SELECTOR, ".info .title").text
    # Requests went to the site alone: no CDN, no other origin.
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {browser.base_url}
    assert violations(browser) == []
