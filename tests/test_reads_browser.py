"""The read beacon in a real browser (headless Chromium, which says it is a browser here):
a reader's showing of a page counts one read a day, the same page bytes for everyone, and no
cookie."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from reads.models import DailyReads

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def reads():
    return sum(DailyReads.objects.values_list("reads", flat=True))


def wait_for_reads(browser, count):
    WebDriverWait(browser, 10, poll_frequency=0.1).until(lambda _driver: reads() == count)


def test_a_reader_s_showings_of_a_commentary_count_one_read_and_set_no_cookie(
    browser, article, make_article
):
    other = make_article(number=435, title="Another piece")
    # A headless browser says so in its user agent, and is not counted (tests/test_reads.py).
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": READER})
    url = browser.base_url + article.get_absolute_url()
    browser.get(url)
    wait_for_reads(browser, 1)
    browser.get(url)  # the same page again, the same bytes (as the page cache keeps it)
    browser.get(browser.base_url + other.get_absolute_url())
    wait_for_reads(browser, 2)
    counted = dict(DailyReads.objects.values_list("article__number", "reads"))
    assert counted == {434: 1, 435: 1}  # the reload was not a second read
    assert browser.get_cookies() == []
