// Says "read" once a commentary is shown (not while prerendered or in a background tab): a
// same-origin POST that sends nothing about the reader (reads/). Without it nothing counts.
(() => {
  const url = document.currentScript && document.currentScript.dataset.url;
  if (!url) return;
  const send = () => {
    if (document.visibilityState !== "visible") return;
    document.removeEventListener("visibilitychange", send);
    if (!(navigator.sendBeacon && navigator.sendBeacon(url))) {
      fetch(url, { method: "POST", keepalive: true }).catch(() => {});
    }
  };
  if (document.visibilityState === "visible") send();
  else document.addEventListener("visibilitychange", send);
})();
