"""A readable diff of an original's text: paragraphs matched, changes marked within them."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

WORD = re.compile(r"\s+|\w+|[^\w\s]")


def tokens(text):
    # Japanese has no spaces: compare it character by character, English word by word.
    return WORD.findall(text) if text.isascii() else list(text)


def inline_diff(old, new):
    old_tokens, new_tokens = tokens(old), tokens(new)
    parts = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if operation == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts))


def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def diff_blocks(old, new):
    """[(kind, html)] for each paragraph: kind is equal, changed, added or removed."""
    old_paragraphs, new_paragraphs = paragraphs(old), paragraphs(new)
    blocks = []
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
        if operation == "equal":
            blocks += [("equal", escape(text)) for text in after]
        elif operation == "replace" and len(before) == len(after):
            blocks += [("changed", inline_diff(a, b)) for a, b in zip(before, after, strict=True)]
        else:
            blocks += [("removed", escape(text)) for text in before]
            blocks += [("added", escape(text)) for text in after]
    return blocks


def diff_html(old, new):
    return format_html_join("\n", '<p class="diff-{}">{}</p>', diff_blocks(old, new))


def changes(fields):
    """[(label, diff html)] of each (label, before, after) whose two texts differ: what a
    revision changed, or what an original changed since its translation was in step."""
    return [(label, diff_html(before, after)) for label, before, after in fields if before != after]
