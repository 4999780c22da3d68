"""What a reader sees in a real browser (headless Chromium)."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser


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
