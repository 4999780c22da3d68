// The admin's body preview: the Markdown is sent to the server, which renders and sanitises it
// exactly as it will be published. It follows the typing (a moment after each pause) and the
// button asks for it at once.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  const form = body && body.closest("form");
  if (!form || !body.dataset.previewUrl) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = body.dataset.previewLabel || "Preview body";
  const output = document.createElement("div");
  output.className = "body-preview";
  output.setAttribute("aria-live", "polite");
  body.after(button, output);

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
    if (response.ok) output.innerHTML = (await response.json()).html;
  }
  button.addEventListener("click", refresh);
  body.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 700);
  });
});
