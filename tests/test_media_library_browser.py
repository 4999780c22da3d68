"""A body's video in a real browser: nothing is fetched from YouTube until the reader clicks,
then its no-cookie player takes the poster's place, within the Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article
from media_library.rendering import videos
from tests.test_security_browser import LISTEN, violations

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]


def test_a_video_loads_from_youtube_only_when_the_reader_clicks(browser, article):
    body = videos('<p>Watch:</p><div class="video-facade" data-youtube="dQw4w9WgXcQ"></div>')
    Article.objects.filter(pk=article.pk).update(body_html=body)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    browser.get(browser.base_url + article.get_absolute_url())
    fetched = "return performance.getEntriesByType('resource').map((entry) => entry.name)"

    # The poster is loaded lazily, so it may come after the page's load event: wait for it.
    def poster_fetched(driver):
        names = driver.execute_script(fetched)
        return names if any(name.endswith("/static/img/video-poster.svg") for name in names) else []

    before = WebDriverWait(browser, 10).until(poster_fetched)
    assert not [name for name in before if not name.startswith(browser.base_url)]
    assert not browser.find_elements(By.TAG_NAME, "iframe")

    browser.find_element(By.CSS_SELECTOR, ".video-facade__play").click()
    frame = WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, ".video-facade iframe")
    )
    assert frame.get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".video-facade__play")
    assert violations(browser) == []
