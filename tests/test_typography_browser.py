"""Issue 23: typography a reader sees, measured in headless Chromium on the demo site at a
desktop (1366 px) and a phone (390 px) width in both languages: no heading or card title ends
on a line of one character, dates stay whole, breadcrumbs keep to one line, cards of a row line
up, and the body's parts (tables, headings, figures, footnotes, ruby, a video's facade) are set
apart. Screenshots go to $TYPOGRAPHY_SHOTS (e.g. /tmp/shots-h23) when it is set: look at them."""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1366, 390]
HEADINGS = "h1, h2, h3, h4, .card__title, .prev-next a, .commentary__other, .commentary__meta"
PAGES = [
    "/{lang}/",
    "/{lang}/speaking-out/",
    "/{lang}/speaking-out/101/",
    "/{lang}/speaking-out/104/",
    "/{lang}/archive/",
    "/{lang}/authors/",
    "/{lang}/authors/haruka-mori/",
]

# The body's parts as the renderer writes them (the markup contract), and Python-Markdown's
# footnotes as the body on main has them: put into a real commentary page to be measured.
BODY = {
    lang: (Path(__file__).parent / "body_parts" / f"{lang}.html").read_text()
    for lang in ("ja", "en")
}

# Each visible heading's lines, as the characters the browser put on each (readings in <rt>
# and spaces left out): a character starts a new line when it sits below the line before.
LINES_SCRIPT = """
const lines = [];
for (const element of document.querySelectorAll(arguments[0])) {
  if (!element.getClientRects().length) continue;
  const style = getComputedStyle(element);
  if (style.visibility === 'hidden' || element.closest('.visually-hidden')) continue;
  const rows = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('rt')) continue;
    const text = node.textContent;
    for (let i = 0; i < text.length; i++) {
      if (/\\s/.test(text[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width && !box.height) continue;
      const row = rows[rows.length - 1];
      if (row && box.top < row.bottom - 2) {
        row.text += text[i];
        row.bottom = Math.max(row.bottom, box.bottom);
      } else {
        rows.push({text: text[i], bottom: box.bottom});
      }
    }
  }
  if (rows.length) lines.push([element.tagName + '.' + element.className, rows.map(r => r.text)]);
}
return lines;
"""


def viewport(browser, width):
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def shoot(browser, name):
    folder = os.environ.get("TYPOGRAPHY_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    full = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.execute_script("return window.innerWidth")
    metrics = {"width": width, "height": min(full, 5000), "deviceScaleFactor": 1,
               "mobile": width < 500}  # fmt: skip
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.save_screenshot(str(Path(folder) / f"{name}.png"))
    viewport(browser, width)


def lonely_last_lines(browser):
    found = []
    for name, rows in browser.execute_script(LINES_SCRIPT, HEADINGS):
        if len(rows) > 1 and len(rows[-1]) == 1:
            found.append(f"{name}: {' / '.join(rows)}")
    return found


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_heading_of_the_demo_ends_on_a_line_of_one_character(browser, demo, lang, width):
    viewport(browser, width)
    found, measured = [], 0
    for page in PAGES:
        path = page.format(lang=lang)
        browser.get(browser.base_url + path)
        measured += len(browser.execute_script(LINES_SCRIPT, HEADINGS))
        found += [f"{path} {line}" for line in lonely_last_lines(browser)]
        shoot(browser, f"{width}-{lang}-{re.sub(r'[^a-z0-9]+', '-', path).strip('-')}")
    assert measured > 20
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_dates_stay_whole_breadcrumbs_keep_one_line_and_cards_line_up(browser, demo, lang, width):
    viewport(browser, width)
    browser.get(browser.base_url + f"/{lang}/")
    split = browser.execute_script(
        "return [...document.querySelectorAll('time')]"
        ".filter(t => t.getClientRects().length && t.getClientRects().length !== 1"
        " || t.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(t).fontSize))"
        ".map(t => t.textContent)"
    )
    assert not split
    rows = browser.execute_script(
        "const rows = {};"
        "for (const card of document.querySelectorAll('.cards > .card')) {"
        "  const box = card.getBoundingClientRect();"
        "  (rows[Math.round(box.top)] ||= []).push(Math.round(box.height)); }"
        "return Object.values(rows);"
    )
    assert len(rows) >= 2
    assert all(len(set(heights)) == 1 for heights in rows), rows
    bands = browser.execute_script(
        "return [...document.querySelectorAll('.card__band')]"
        ".map(b => Math.round(b.getBoundingClientRect().height));"
    )
    assert len(set(bands)) == 1, "a card with a picture and one without share one design"
    browser.get(browser.base_url + f"/{lang}/speaking-out/104/")
    crumbs = browser.execute_script(
        "return [...document.querySelectorAll('.breadcrumb li')]"
        ".map(li => Math.round(li.getBoundingClientRect().top));"
    )
    assert len(crumbs) == 3 and len(set(crumbs)) == 1, crumbs
    if lang == "en":  # "Translated from the Japanese original of October 23, 2026."
        ((_name, rows),) = browser.execute_script(LINES_SCRIPT, ".commentary__original")
        date = browser.execute_script(
            "return document.querySelector('.commentary__original').textContent"
            ".match(/[A-Z][a-z]+\\s\\d+,\\s\\d{4}/)[0]"
        )
        assert any(re.sub(r"\s", "", date) in row for row in rows), rows
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    ), "nothing makes the page scroll sideways"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_body_parts_are_set_apart_and_tables_scroll_on_their_own(browser, demo, lang, width):
    viewport(browser, width)
    browser.get(browser.base_url + f"/{lang}/speaking-out/101/")
    browser.execute_script(
        "document.querySelector('.commentary__body').innerHTML = arguments[0];", BODY[lang]
    )
    parts = browser.execute_script(
        """
        const body = document.querySelector('.commentary__body');
        const size = sel => body.querySelector(sel)
          && parseFloat(getComputedStyle(body.querySelector(sel)).fontSize);
        const box = sel => body.querySelector(sel).getBoundingClientRect();
        const table = body.querySelector('table');
        const th = getComputedStyle(body.querySelector('thead th'));
        const td = getComputedStyle(body.querySelector('tbody td'));
        return {
          headings: [size('h2'), size('h3'), size('h4')],
          h2_bar: getComputedStyle(body.querySelector('h2')).borderLeftStyle,
          h3_rule: getComputedStyle(body.querySelector('h3')).borderBottomStyle,
          cell_border: td.borderTopStyle,
          header_shade: th.backgroundColor,
          right: getComputedStyle(body.querySelector('td[align=right]')).textAlign,
          table_wider: table.scrollWidth > table.clientWidth,
          table_scrolls: getComputedStyle(table).overflowX,
          page_fits: document.documentElement.scrollWidth <= window.innerWidth,
          credit_below: box('.figure-credit').top >= box('.figure-caption').bottom - 1,
          credit_smaller: size('.figure-credit') < size('.figure-caption'),
          note_smaller: size('.footnotes li') < size('p'),
          old_note_smaller: size('.footnote li') < size('p'),
          ref_raised: getComputedStyle(body.querySelector('.fn-ref')).verticalAlign,
          ruby_smaller: !body.querySelector('ruby') || size('rt') < size('ruby'),
          facade: [box('.video-facade__play').width, box('.video-facade__play').height],
          play_inside: box('.video-facade__label').bottom <= box('.video-facade__play').bottom,
        };
        """
    )
    shoot(browser, f"{width}-{lang}-body-parts")
    h2, h3, h4 = parts["headings"]
    assert h2 > h3 > h4, parts
    assert parts["h2_bar"] == "solid" and parts["h3_rule"] == "solid"
    assert parts["cell_border"] == "solid"
    assert parts["header_shade"] not in {"rgba(0, 0, 0, 0)", "transparent"}
    assert parts["right"] in {"end", "right"}
    assert parts["table_scrolls"] == "auto" and parts["page_fits"], parts
    if width == 390:
        assert parts["table_wider"], "six columns are wider than a phone: the table scrolls"
    assert parts["credit_below"] and parts["credit_smaller"], parts
    assert parts["note_smaller"] and parts["old_note_smaller"] and parts["ruby_smaller"]
    assert parts["ref_raised"] == "super"
    width_px, height_px = parts["facade"]
    assert abs(width_px / height_px - 16 / 9) < 0.05 and parts["play_inside"]
    assert not lonely_last_lines(browser)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_on_paper_tables_are_whole_and_footnotes_lose_their_links_back(browser, demo, lang):
    viewport(browser, 1366)
    browser.get(browser.base_url + f"/{lang}/speaking-out/101/")
    browser.execute_script(
        "document.querySelector('.commentary__body').innerHTML = arguments[0];", BODY[lang]
    )
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    printed = browser.execute_script(
        """
        const style = sel => getComputedStyle(document.querySelector(sel));
        return {
          table: style('.commentary__body table').display,
          header: style('.commentary__body thead').display,
          back: style('.fn-back').display,
          old_back: style('.footnote-backref').display,
          play: style('.video-facade__play').display,
          credit: style('.figure-credit').display,
          menu: style('.site-header').display,
        };
        """
    )
    assert printed == {
        "table": "table", "header": "table-header-group", "back": "none", "old_back": "none",
        "play": "none", "credit": "block", "menu": "none",
    }  # fmt: skip
    shoot(browser, f"print-{lang}")  # the page with print styles, as a picture
