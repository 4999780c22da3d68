"""The body's editor in a real browser (headless Chromium, over the DevTools protocol where a
person's hands are needed): it loads under the strict CSP, pastes what Word, Google Docs, a web
page and the old site's plain text put on the clipboard, takes Japanese from an input method,
and keeps what was typed through a killed browser and an expired session."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Autosave
from tests import chromium
from tests.test_browser import find, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLIPBOARD = Path(__file__).resolve().parent / "clipboard"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "000_632bbdf515a01924.txt"


@pytest.fixture
def writer(django_user_model):
    user = django_user_model.objects.create_user("wanda", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Writer"))
    return user


@pytest.fixture
def piece(make_article, writer):
    return make_article(
        title="A draft to write",
        status="draft",
        published_at=None,
        created_by=writer,
        body="<p>First paragraph.</p><h2>A sub-heading</h2><p>Second paragraph.</p>",
    )


def open_editor(browser, article=None):
    if article is None:
        browser.get(browser.base_url + reverse("admin:articles_article_add"))
    else:
        browser.get(browser.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    return find(browser, ".field-body .prose-editor .ProseMirror[contenteditable]")


def editor_html(browser):
    return browser.execute_script("return window.bodyEditor.getHTML()")


def clear_and_focus(browser):
    browser.execute_script(
        "window.bodyEditor.commands.clearContent(); window.bodyEditor.commands.focus()"
    )


def paste(browser, **payload):
    """A paste event carrying the clipboard's types, as the browser fires it for Ctrl+V."""
    browser.execute_script(
        """
        const data = new DataTransfer();
        for (const [type, value] of Object.entries(arguments[0])) data.setData(type, value);
        const event = new ClipboardEvent(
            "paste", {clipboardData: data, bubbles: true, cancelable: true});
        window.bodyEditor.view.dom.dispatchEvent(event);
        """,
        {type_.replace("_", "/"): value for type_, value in payload.items()},
    )


def save(browser):
    """The form's save: h18b's “Save draft” where the form has it, else the admin's Save."""
    buttons = browser.find_elements(By.NAME, "_save_draft") or browser.find_elements(
        By.NAME, "_save"
    )
    buttons[0].click()
    find(browser, ".messagelist")


def console_errors(browser):
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_editor_loads_under_the_strict_csp_with_no_inline_script_but_its_import_map(
    browser, writer, piece
):
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    assert body.get_attribute("contenteditable") == "true"
    assert "<h2>A sub-heading</h2>" in editor_html(browser)
    assert not [e for e in console_errors(browser) if "Content Security Policy" in e["message"]]
    # An inline script other than the import map is still refused.
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        "document.body.append(s)"
    )
    assert browser.execute_script("return window.injected") is None


def test_markdown_shortcuts_make_a_sub_heading_and_a_list(browser, writer, piece):
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    clear_and_focus(browser)
    body.send_keys("## Heading typed", Keys.ENTER, "- an item", Keys.ENTER, "another")
    html = editor_html(browser)
    assert "<h2>Heading typed</h2>" in html
    assert "<ul><li><p>an item</p></li><li><p>another</p></li></ul>" in html


def pasted(browser, **payload):
    clear_and_focus(browser)
    paste(browser, **payload)
    return editor_html(browser)


def assert_structure_kept(html):
    assert "<h2>Sanctions and their limits</h2>" in html
    assert "<strong>not</strong>" in html and "<em>Financial Review</em>" in html
    assert '<a href="https://www.example.org/review/2024/03">its analysis</a>' in html
    assert "<li><p>Energy exports found other buyers</p></li>" in html
    assert "<table>" in html and "2023" in html and "412" in html
    for dropped in ("style=", "mso", "o:p", "<!--", "MsoNormal", "font-family", "<span"):
        assert dropped not in html, dropped
    assert html.count("class=") == html.count('class="video-facade"')


def test_paste_from_word_keeps_headings_emphasis_links_lists_and_tables(browser, writer, piece):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    html = pasted(browser, text_html=(CLIPBOARD / "word.html").read_text(), text_plain="x\ny")
    assert_structure_kept(html)
    assert "<h2>Three reasons</h2>" in html  # Word's Heading 1 is a sub-heading too
    assert "<li><p>First, watch the currency</p></li><li><p>Then, the trade" in html
    assert html.index("<ol") < html.index("First, watch") < html.index("</ol>")
    assert html.count("<ul>") == 2 and "Public support held" in html
    assert (  # Word's second level, nested in the item above it
        "<li><p>The banks had prepared</p><ul><li><p>Reserves were moved early</p></li></ul></li>"
        "<li><p>Public support held</p></li></ul>"
    ) in html


def test_paste_from_google_docs_keeps_structure_and_never_makes_it_all_bold(browser, writer, piece):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    html = pasted(browser, text_html=(CLIPBOARD / "google-docs.html").read_text())
    assert_structure_kept(html)
    assert "<h3>Three reasons</h3>" in html
    assert html.count("<strong>") == 1  # Docs' wrapping <b style="font-weight:normal"> is not


def test_paste_from_a_web_page_drops_other_hosts_images_and_scripts_keeps_a_video(
    browser, writer, piece
):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    html = pasted(browser, text_html=(CLIPBOARD / "web-page.html").read_text())
    assert_structure_kept(html)
    assert "<th" in html and "Exports" in html
    assert "tracker.example.net" not in html and "<img" not in html
    assert '<div class="video-facade" data-youtube="dQw4w9WgXcQ"></div>' in html
    assert "<iframe" not in html and "script" not in html
    assert browser.execute_script("return window.pasted") is None


def test_the_old_sites_text_pasted_as_it_is_gives_paragraphs_and_sub_headings(
    browser, writer, piece
):
    log_in(browser, "wanda")
    open_editor(browser, piece)
    text = (CLIPBOARD / "oldsite-434.txt").read_text()
    html = pasted(browser, text_plain=text)
    assert "<pre" not in html and "<code" not in html
    assert html.count("<p>") == 7
    assert "<h2>Trump may expand foreign engagement</h2>" in html
    assert "<h2>Putin in difficult situation</h2>" in html
    assert html.startswith("<p>When U.S. Secretary of State")  # no indentation kept
    # Saved, it is the page the importer makes of the same text.
    from archive.oldsite import body_html

    save(browser)
    piece.refresh_from_db()
    assert piece.body == body_html(text.splitlines())


def compose(browser, steps, result):
    """Types with an input method as Chromium receives it: the composition's steps, then the
    chosen text committed."""
    for text in steps:
        browser.execute_cdp_cmd(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
    browser.execute_cdp_cmd("Input.insertText", {"text": result})


def put_cursor_at_start_of(browser, node_type):
    browser.execute_script(
        """
        const editor = window.bodyEditor;
        let at = null;
        editor.state.doc.descendants((node, pos) => {
          if (at === null && node.type.name === arguments[0]) at = pos + 1;
        });
        if (arguments[0] === "listItem") at += 1;  // into the item's paragraph
        editor.commands.focus();
        editor.commands.setTextSelection(at);
        """,
        node_type,
    )


@pytest.mark.parametrize(
    "body, node_type, expected",
    [
        ("<h2>の見通し</h2>", "heading", "<h2>日本の見通し</h2>"),
        ("<ul><li><p>の外交</p></li></ul>", "listItem", "<li><p>日本の外交</p></li>"),
        ("<p>は島国だ。</p>", "paragraph", "<p>日本は島国だ。</p>"),
    ],
)
def test_japanese_typed_with_an_input_method_is_inserted_once_intact(
    browser, writer, make_article, body, node_type, expected
):
    draft = make_article(
        language="ja", status="draft", published_at=None, created_by=writer, body=body
    )
    log_in(browser, "wanda")
    open_editor(browser, draft)
    put_cursor_at_start_of(browser, node_type)
    compose(browser, ["に", "にほ", "にほん"], "日本")
    html = editor_html(browser)
    assert expected in html
    assert html.count("日本") == 1 and "にほん" not in html
    # Typing on after the composition continues the same text.
    compose(browser, ["こく"], "国")
    assert "日本国" in editor_html(browser)


def wait_for(browser, css, timeout=15):
    return WebDriverWait(browser, timeout).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, css) or False
    )[0]


def test_a_draft_autosaved_survives_a_browser_killed_mid_sentence(
    browser, live_server, writer, piece
):
    first = chromium.chromium()
    first.base_url = live_server.url
    try:
        log_in(first, "wanda")
        body = open_editor(first, piece)
        body.send_keys(Keys.END, " And then, half way through a sent")
        wait_for(first, ".autosave-status[data-state=saved]")
    finally:
        first.quit()  # no save, no goodbye: the tab, the browser, its storage gone
    piece.refresh_from_db()
    assert "half way" not in piece.body and piece.version == 1
    assert Autosave.objects.get(article=piece).fields["body"].endswith("through a sent</p>")

    log_in(browser, "wanda")
    open_editor(browser, piece)
    offer = wait_for(browser, ".autosave-offer")
    assert "An unsaved copy of your text" in offer.text
    offer.find_element(By.XPATH, ".//button[1]").click()
    assert "half way through a sent</p>" in editor_html(browser)
    save(browser)
    piece.refresh_from_db()
    assert "half way through a sent" in piece.body


def test_an_expired_session_loses_nothing_typed(browser, writer, piece):
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    browser.delete_cookie("sessionid")  # the session ends while the writer types
    body.send_keys(Keys.END, " Typed while signed out.")
    status = wait_for(browser, ".autosave-status[data-state=local]")
    assert "kept in this browser" in status.text
    assert not Autosave.objects.exists()
    log_in(browser, "wanda")
    open_editor(browser, piece)
    wait_for(browser, ".autosave-offer").find_element(By.XPATH, ".//button[1]").click()
    assert "Typed while signed out.</p>" in editor_html(browser)
    # Restored, it is on the server too.
    WebDriverWait(browser, 15).until(lambda _driver: Autosave.objects.exists())
    assert "Typed while signed out." in Autosave.objects.get().fields["body"]


LEAVING = """
const event = new Event("beforeunload", {cancelable: true});
window.dispatchEvent(event);
return event.defaultPrevented;
"""


def test_leaving_a_changed_form_asks_first(browser, writer, piece):
    """The browser asks “Leave site?” when a beforeunload handler cancels the event (WebDriver
    answers that dialog itself, so the event is fired here as the browser fires it)."""
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    assert browser.execute_script(LEAVING) is False  # nothing changed yet
    body.send_keys(Keys.END, " A change.")
    assert browser.execute_script(LEAVING) is True
    # Saving is not leaving: no question then.
    browser.execute_script(
        "document.querySelector('#article_form')"
        ".addEventListener('submit', (e) => e.preventDefault())"
    )
    (browser.find_elements(By.NAME, "_save_draft") or browser.find_elements(By.NAME, "_save"))[
        0
    ].click()
    assert browser.execute_script(LEAVING) is False


def test_a_footnote_inserted_in_the_editor_is_numbered_and_linked_on_the_page(
    browser, writer, piece
):
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    body.send_keys(Keys.END)
    browser.find_element(By.CSS_SELECTOR, ".prose-menubar [data-name=footnote]").click()
    dialog = find(browser, "dialog.prose-editor-dialog[open]")
    dialog.find_element(By.TAG_NAME, "textarea").send_keys("Ministry figures, 2024.")
    dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert '<span data-footnote="" title="Ministry figures, 2024.">' in editor_html(browser)
    save(browser)
    piece.refresh_from_db()
    assert '<span data-footnote="">Ministry figures, 2024.</span>' in piece.body
    assert '<sup class="fn-ref"><a href="#fn-1" id="fnref-1">1</a></sup>' in piece.body_html
    assert '<li id="fn-1">Ministry figures, 2024. <a href="#fnref-1"' in piece.body_html


def test_figures_ruby_language_and_video_survive_the_editor_as_the_schema_has_them(
    browser, writer, make_article
):
    from tests.test_body import RICH

    draft = make_article(status="draft", published_at=None, created_by=writer, body=RICH)
    log_in(browser, "wanda")
    open_editor(browser, draft)
    html = editor_html(browser)
    for part in (
        '<figure data-image="7"><img src="/media/library/chart.png" alt="A chart">'
        '<figcaption><span class="figure-caption">Exports by year</span>'
        '<span class="figure-credit">Ministry of Finance</span></figcaption></figure>',
        "<ruby>大阪<rt>おおさか</rt></ruby>",
        '<span lang="ja">日本</span>',
        '<div class="video-facade" data-youtube="dQw4w9WgXcQ"></div>',
    ):
        assert part in html
    body = browser.find_element(By.CSS_SELECTOR, ".field-body .ProseMirror[contenteditable]")
    body.send_keys(Keys.CONTROL, Keys.END, " More.")
    save(browser)
    draft.refresh_from_db()
    assert draft.body.replace(" More.", "") == RICH or "<figure" in draft.body
    assert draft.body.count("data-footnote") == 2 and "<table>" in draft.body


def test_insert_figure_uploads_to_the_media_library_and_inserts_it_in_the_pieces_language(
    browser, writer, piece, tmp_path, media_root
):
    pytest.importorskip("media_library")  # h18b's app; the endpoints are its
    from PIL import Image

    picture = tmp_path / "chart.png"
    Image.new("RGB", (1200, 800), "navy").save(picture)
    log_in(browser, "wanda")
    body = open_editor(browser, piece)
    body.send_keys(Keys.END)
    browser.find_element(By.CSS_SELECTOR, ".prose-menubar [data-name=bodyFigure]").click()
    dialog = find(browser, "dialog.figure-chooser[open]")
    dialog.find_element(By.NAME, "file").send_keys(str(picture))
    for name, text in (("alt_en", "A navy chart"), ("alt_ja", "紺色の図"),
                       ("caption_en", "Exports by year"), ("credit", "The institute")):  # fmt: skip
        dialog.find_element(By.NAME, name).send_keys(text)
    dialog.find_element(By.CSS_SELECTOR, ".figure-chooser__upload button").click()
    WebDriverWait(browser, 10).until(lambda _driver: "<figure" in editor_html(browser))
    save(browser)
    piece.refresh_from_db()
    assert re.search(
        r'<figure data-image="\d+"><img src="/media/[^"]+" alt="A navy chart"><figcaption>'
        r'<span class="figure-caption">Exports by year</span>'
        r'<span class="figure-credit">The institute</span></figcaption></figure>',
        piece.body,
    ), piece.body
    assert 'loading="lazy"' in piece.body_html and 'class="figure' in piece.body_html


def test_copy_from_a_web_page_and_ctrl_v_in_chromium_keeps_the_structure(
    browser, writer, piece, make_article
):
    """Chromium's own clipboard: the site's published page selected and copied, then pasted
    with the keyboard (what a writer quoting an earlier piece does)."""
    from tests.test_body import RICH

    published = make_article(number=500, title="An earlier piece", body=RICH)
    log_in(browser, "wanda")
    browser.get(browser.base_url + published.get_absolute_url())
    browser.execute_script(
        "const range = document.createRange();"
        "range.selectNodeContents(document.querySelector('.commentary__body'));"
        "const selection = window.getSelection(); selection.removeAllRanges();"
        "selection.addRange(range);"
    )
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("c").key_up(Keys.CONTROL).perform()
    open_editor(browser, piece)
    clear_and_focus(browser)
    browser.execute_script(
        "document.addEventListener('paste', (event) => {"
        "  window.payload = event.clipboardData.getData('text/html'); }, true)"
    )
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("v").key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 5).until(lambda _driver: "<table>" in editor_html(browser))
    payload = browser.execute_script("return window.payload")
    assert "style=" in payload and "<table" in payload  # Chromium's copy carries its styles
    html = editor_html(browser)
    assert "<h2>A table, a figure, notes</h2>" in html
    assert "<th" in html and "Exports" in html and "412" in html
    assert "style=" not in html and "fn-ref" not in html


def test_the_editor_speaks_japanese_to_a_japanese_desk(live_server, writer, piece):
    japanese = chromium.chromium(language="ja")
    japanese.base_url = live_server.url
    try:
        log_in(japanese, "wanda")
        open_editor(japanese, piece)
        note = japanese.find_element(By.CSS_SELECTOR, ".prose-menubar [data-name=footnote]")
        assert note.text == "注" and note.get_attribute("title") == "注を挿入"
        figure = japanese.find_element(By.CSS_SELECTOR, ".prose-menubar [data-name=bodyFigure]")
        assert figure.get_attribute("title") == "図版を挿入"
    finally:
        japanese.quit()


def test_the_hostile_corpus_pasted_into_the_editor_runs_nothing_and_keeps_no_markup(
    browser, writer, piece
):
    from tests.test_hostile import BODIES, RAW_MARKUP

    log_in(browser, "wanda")
    open_editor(browser, piece)
    browser.execute_script("window.alert = () => { window.ran = true; }")
    for hostile in BODIES:
        html = pasted(browser, text_html=hostile, text_plain=hostile)
        for raw in (*RAW_MARKUP, "onerror", "onload", "<iframe", "<style", "<svg"):
            assert raw not in html, (hostile, html)
    paste(browser, text_html="".join(BODIES))
    assert browser.execute_script("return window.ran || false") is False
    save(browser)
    piece.refresh_from_db()
    for raw in (*RAW_MARKUP, "onerror", "onload", "<iframe", "<style", "<svg"):
        assert raw not in piece.body and raw not in piece.body_html
