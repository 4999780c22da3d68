// "Copy link" copies the page's address instead of following it; without this script (or
// without a clipboard) it stays a plain link to the page, to copy from the browser.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".share__copy");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(() => {
    const status = link.closest(".share").querySelector(".share__status");
    status.textContent = link.dataset.copied;
    status.classList.remove("visually-hidden");
  });
});
