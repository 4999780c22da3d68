"""The lead's editor in a real browser: typed into, a word made bold with Ctrl+B, saved, and
seen bold on the staff preview; the form photographed at a desk's and a phone's width."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from articles.models import Autosave
from tests.test_browser import find, log_in
from tests.test_desk_browser import SHOTS
from tests.test_editor_browser import open_editor, piece, save, wait_for, writer  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEAD = ".field-lead .prose-editor .ProseMirror[contenteditable]"


def ctrl(browser, key):
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()


def test_a_word_made_bold_with_ctrl_b_in_the_lead_is_bold_on_the_page(
    browser,
    writer,  # noqa: F811
    piece,  # noqa: F811
):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    lead = find(browser, LEAD)
    lead.click()
    lead.send_keys("Sanctions ")
    ctrl(browser, "b")
    lead.send_keys("bite")
    ctrl(browser, "b")
    lead.send_keys(" hard.")
    assert browser.execute_script("return window.leadEditor.getHTML()") == (
        "<p>Sanctions <strong>bite</strong> hard.</p>"
    )
    # Only marks: no heading, list or table button in the lead's toolbar.
    names = {
        button.get_attribute("data-name")
        for button in browser.find_elements(
            By.CSS_SELECTOR, ".field-lead .prose-menubar [data-name]"
        )
    }
    assert {"bold", "italic", "link"} <= names
    assert not names & {"heading", "bulletList", "table", "footnote", "bodyFigure"}
    save(browser)
    piece.refresh_from_db()
    assert piece.lead == "<p>Sanctions <strong>bite</strong> hard.</p>"
    browser.get(browser.base_url + piece.get_preview_url())
    assert find(browser, ".commentary__lead strong").text == "bite"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_form_with_the_leads_editor_fits_a_desk_and_a_phone(
    browser,
    writer,  # noqa: F811
    piece,  # noqa: F811
    width,
):
    piece.lead = "<p>Sanctions <strong>bite</strong> &amp; talks go on.</p>"
    piece.save()
    browser.set_window_size(width, 1000)
    log_in(browser, "wanda")
    open_editor(browser, piece)
    lead = find(browser, LEAD)
    row = browser.find_element(By.CSS_SELECTOR, ".form-row.field-lead")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", row)
    SHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"admin-lead-{width}.png"))
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert lead.size["width"] <= width and lead.size["height"] >= 40


def test_the_leads_markdown_shortcuts_and_autosave_work_as_the_bodys(
    browser,
    writer,  # noqa: F811
    piece,  # noqa: F811
):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    lead = find(browser, LEAD)
    lead.click()
    lead.send_keys("Talks **go on** and *quietly*.")
    html = "<p>Talks <strong>go on</strong> and <em>quietly</em>.</p>"
    assert browser.execute_script("return window.leadEditor.getHTML()") == html
    wait_for(browser, ".autosave-status[data-state=saved]")
    assert Autosave.objects.get(article=piece).fields["lead"] == html
    piece.refresh_from_db()
    assert piece.lead == ""  # a copy, never the piece
    # Opened again, the copy is offered and goes back into the lead's editor.
    open_editor(browser, piece)
    wait_for(browser, ".autosave-offer").find_element(By.XPATH, ".//button[1]").click()
    assert browser.execute_script("return window.leadEditor.getHTML()") == html
