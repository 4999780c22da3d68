// The commentary form (articles/forms.py sets the data- attributes):
// - a live count of the body: characters with spaces and line breaks not counted (文字数, as
//   Japanese editors count), and the reading time as the site works it out (reading_minutes:
//   Japanese by characters, English by words). Markup (tags, Markdown signs, link addresses)
//   is not counted.
// - on a new piece, the number follows the series chosen: the next free one, unless the
//   writer typed another.
"use strict";

const visibleText = (source) => {
  const probe = document.createElement("template");
  probe.innerHTML = source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // [text](address): the text
    .replace(/\[\^[^\]]*\]:?/g, "") // footnote marks
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "") // headings, quotes, list marks
    .replace(/[*_`~]+/g, "")
    .replace(/^\s*\|?[-:| ]+\|?\s*$/gm, "") // a table's rule line
    .replace(/\|/g, " ");
  return probe.content.textContent;
};

const countBody = (body) => {
  const output = document.createElement("p");
  output.className = "help body-count";
  output.setAttribute("aria-live", "polite");
  body.after(output);
  const language = document.getElementById("id_language");
  const update = () => {
    const text = visibleText(body.value);
    const characters = [...text.replace(/\s+/g, "")].length;
    const japanese = (language ? language.value : body.dataset.countLanguage) === "ja";
    const units = japanese ? characters : text.split(/\s+/).filter(Boolean).length;
    const perMinute = Number(japanese ? body.dataset.charactersPerMinute : body.dataset.wordsPerMinute);
    const minutes = Math.max(1, Math.round(units / perMinute));
    output.textContent = body.dataset.countTemplate
      .replace("%(characters)s", characters.toLocaleString())
      .replace("%(minutes)s", minutes);
  };
  // From the textarea, or from an editor that keeps it in step (events bubble up to the
  // field's row; the textarea is read once the editor has written to it).
  const row = body.closest(".form-row") || body.parentElement;
  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(update, 100);
  };
  ["input", "change", "keyup"].forEach((name) => row.addEventListener(name, soon));
  if (language) language.addEventListener("change", update);
  update();
};

const followSeries = (series) => {
  const number = document.getElementById("id_number");
  if (!number) return;
  let suggested = number.value;
  series.addEventListener("change", async () => {
    if (!series.value || number.value !== suggested) return; // typed by hand: kept
    const url = `${series.dataset.nextNumberUrl}?series=${encodeURIComponent(series.value)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || number.value !== suggested) return;
    suggested = String((await response.json()).number);
    number.value = suggested;
  });
};

document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  if (body && body.dataset.countTemplate) countBody(body);
  const series = document.getElementById("id_series");
  if (series && series.dataset.nextNumberUrl) followSeries(series);
});
