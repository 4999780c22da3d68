// The admin's "Preview body" button: sends the Markdown to the server, which renders and
// sanitises it exactly as it will be published, and shows the result under the field.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  const form = body && body.closest("form");
  if (!form) return;
  const url = body.dataset.previewUrl;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = body.dataset.previewLabel || "Preview body";
  const output = document.createElement("div");
  output.className = "body-preview";
  output.setAttribute("aria-live", "polite");
  body.after(button, output);
  button.addEventListener("click", async () => {
    const data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin" });
    output.innerHTML = response.ok ? (await response.json()).html : "";
  });
});
