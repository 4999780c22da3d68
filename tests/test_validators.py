"""Independent checkers on every public page type, in both languages, on the demo site:
the Nu HTML Checker (vnu.jar, run by Java) and axe-core (injected into headless Chromium),
both pinned in package.json and installed by `npm ci`. One vnu run over a folder of saved
pages, one browser session for axe."""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, Tag

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def need(tool, reason):
    if tool:
        return
    if connection.vendor == "postgresql":
        pytest.fail(f"{reason}: CI must have it (bash .ci/run installs it)")
    pytest.skip(reason)


def public_pages():
    """One page of each public type in each language, as {name: path}."""
    call_command("seed_demo", stdout=StringIO())
    published = Article.objects.published()
    pictured = published.exclude(image="").filter(language="ja").first()
    translated = published.filter(language="en", link_as_translation__isnull=False).first()
    month = timezone.localtime(translated.published_at)
    tag = Tag.objects.filter(tagged_articles__content_object=translated).first()
    author = translated.authors.first()
    pages = {
        "commentary-pictured-ja": pictured.get_absolute_url(),
        "commentary-pictured-en": pictured.link_as_original.translation.get_absolute_url(),
    }
    for language in ("ja", "en"):
        query = "安全保障" if language == "ja" else "security"
        pages |= {
            f"home-{language}": f"/{language}/",
            f"commentary-{language}": f"/{language}/{translated.series.slug}/{translated.number}/",
            f"series-{language}": f"/{language}/{translated.series.slug}/",
            f"authors-{language}": f"/{language}/authors/",
            f"author-{language}": f"/{language}/authors/{author.slug}/",
            f"archive-{language}": f"/{language}/archive/",
            f"year-{language}": f"/{language}/archive/{month:%Y}/",
            f"month-{language}": f"/{language}/archive/{month:%Y/%m}/",
            f"topics-{language}": f"/{language}/tags/",
            f"topic-{language}": f"/{language}/tags/{tag.slug}/",
            f"search-{language}": f"/{language}/search/?q={query}&language=all",
            f"not-found-{language}": f"/{language}/no-such-page/",
        }
    return pages


@pytest.mark.django_db
def test_nu_html_checker_finds_no_error_on_any_public_page(client, tmp_path):
    need(VNU.exists() and shutil.which("java"), "needs Java and vnu.jar (npm ci)")
    folder = tmp_path / "pages"  # not the media root, which is tmp_path / "media"
    folder.mkdir()
    pages = public_pages()
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (404 if name.startswith("not-found") else 200), path
        assert "<mark>" in response.text or not name.startswith("search"), path
        (folder / f"{name}.html").write_bytes(response.content)
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
         "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')}]"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors)
    assert len(list(folder.glob("*.html"))) == len(pages) == 26


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_finds_no_violation_on_any_public_page(browser):
    need(AXE.exists(), "needs axe-core from npm (npm ci)")
    script = AXE.read_text()
    pages = public_pages()
    found = {}
    for width, names in [(1366, list(pages)), (390, ["home-ja", "commentary-en", "search-en"])]:
        browser.set_window_size(width, 900)  # on a phone the menu is a button
        for name in names:
            browser.get(browser.base_url + pages[name])
            browser.execute_script(script)
            violations = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
                ".then(result => done(result.violations.map("
                "v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3)])));",
                AXE_TAGS,
            )
            if violations:
                found[f"{name} at {width}px"] = violations
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    assert len(pages) == 26
