// A video in a commentary is a button with a poster from the site (media_library/rendering.py):
// only when a reader clicks it is YouTube's no-cookie player loaded, in its place.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest(".video-facade__play");
  if (!button) return;
  const id = button.dataset.youtube || "";
  if (!/^[A-Za-z0-9_-]{11}$/.test(id)) return;
  const frame = document.createElement("iframe");
  frame.src = `https://www.youtube-nocookie.com/embed/${id}?autoplay=1`;
  frame.title = button.textContent.trim();
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  frame.width = "640";
  frame.height = "360";
  frame.className = "video-facade__frame";
  button.closest(".video-facade").replaceChildren(frame);
});
