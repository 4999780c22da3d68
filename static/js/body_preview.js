// The admin's body editor: as tall as its text, with a preview below it that the server
// renders and sanitises exactly as it will be published, shown with the site's own article
// styles (in a frame, so they do not restyle the admin). It follows the typing (a moment after
// each pause) and the button asks for it at once.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  const form = body && body.closest("form");
  if (!form || !body.dataset.previewUrl) return;

  const fit = () => {
    body.style.height = "auto";
    body.style.height = `${body.scrollHeight + 8}px`;
  };
  body.addEventListener("input", fit);
  fit();

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = body.dataset.previewLabel || "Preview body";
  const frame = document.createElement("iframe");
  frame.className = "body-preview";
  frame.title = button.textContent;
  frame.hidden = true;
  body.after(button, frame);
  frame.addEventListener("load", () => {
    frame.style.height = `${frame.contentDocument.documentElement.scrollHeight + 16}px`;
  });

  let pending = null;
  async function refresh() {
    const data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    const response = await fetch(body.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const language = (document.getElementById("id_language") || {}).value || "";
    const page = document.implementation.createHTMLDocument("");
    page.documentElement.lang = language;
    const style = page.createElement("link");
    style.rel = "stylesheet";
    style.href = body.dataset.previewCss;
    page.head.append(style);
    const article = page.createElement("div");
    article.className = "commentary__body";
    article.innerHTML = (await response.json()).html;  // sanitised by the server
    page.body.append(article);
    frame.hidden = false;
    frame.srcdoc = `<!doctype html>${page.documentElement.outerHTML}`;
  }
  button.addEventListener("click", refresh);
  body.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 700);
  });
  if (body.value) refresh();
});
