"""Hostile Markdown (in a pasted body, an imported page or an export's record) costs bounded
CPU and never an error: Python-Markdown is quadratic in a paragraph's "[" and recurses on
deep nesting, so core.markup escapes the one and keeps the other as plain text."""

import time

from core.markup import MAX_BRACKETS, render_markdown


def cpu_seconds(text):
    started = time.process_time()
    html = render_markdown(text)
    return time.process_time() - started, html


def test_thousands_of_brackets_render_in_bounded_time_as_the_same_text():
    seconds, html = cpu_seconds("[" * 20000 + "]" * 20000)
    # Unguarded, this paragraph took 110 s of CPU; a bound on failure, not a measurement.
    assert seconds < 20
    assert html == f"<p>{'[' * 20000}{']' * 20000}</p>"


def test_a_paragraph_with_a_few_links_keeps_them():
    text = " ".join(f"[link {n}](https://example.org/{n})" for n in range(MAX_BRACKETS))
    html = render_markdown(text)
    assert html.count("<a href=") == MAX_BRACKETS


def test_lists_nested_hundreds_deep_are_kept_as_plain_text_not_an_error():
    html = render_markdown("Before.\n\n" + "- " * 5000 + "deep")
    assert html.startswith("<p>Before.</p>")
    assert html.endswith("- deep</p>")
