"""The reading pages' layout in a real browser (headless Chromium): the phone menu."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_phone_menu_opens_without_script_and_desktop_shows_one_row(browser, article):
    browser.set_window_size(390, 844)
    browser.get(browser.base_url + "/en/")
    archive = browser.find_element(By.CSS_SELECTOR, ".site-nav a[href='/en/archive/']")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert not archive.is_displayed()
    assert header.size["height"] < 844 * 0.1  # one compact row: title, language, menu
    browser.find_element(By.CSS_SELECTOR, "label.menu-button").click()
    assert archive.is_displayed()
    browser.get(browser.base_url + "/ja/")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.size["height"] < 844 * 0.1  # the full Japanese name fits beside them
    browser.set_window_size(1366, 900)
    browser.get(browser.base_url + "/en/")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header")
    assert not browser.find_element(By.CSS_SELECTOR, "label.menu-button").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav a[href='/en/archive/']").is_displayed()
    switch = browser.find_element(By.CSS_SELECTOR, ".language-switch")
    title = browser.find_element(By.CSS_SELECTOR, ".site-title")
    assert abs(switch.location["y"] - title.location["y"]) < 20  # the same row
    assert header.size["height"] < 80
