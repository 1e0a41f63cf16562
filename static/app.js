// The portal's own script. Everything works without it: it shows instants in
// the viewer's own time zone, in the page's language, and makes copy buttons
// copy.
(function () {
  "use strict";

  // Lets the stylesheet hide what only a browser without JavaScript needs.
  document.documentElement.classList.add("js");

  // The page's language (<html lang>), the one the server wrote the dates in,
  // so that the script and the server agree ("11 mai 2026" either way).
  // Calendar dates are kept in UTC, so they are shown in UTC too (no day shift);
  // instants (history, synchronisation) are shown in the viewer's time zone.
  var lang = document.documentElement.lang || undefined;
  var dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  var dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });

  function localizeDates(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      if (el.dataset.localized) return;
      var iso = el.getAttribute("datetime");
      var d = new Date(iso);
      if (isNaN(d)) return;
      var withTime = el.dataset.format === "datetime";
      el.title = withTime ? iso : iso.slice(0, 10);
      el.textContent = (withTime ? dateTimeFormat : dateFormat).format(d);
      el.dataset.localized = "1";
    });
  }

  // Copy buttons are hidden until this script can make them work.
  function enableCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-copy]");
    if (!button) return;
    // The key shown beside the button: the same order's key may be open in
    // several rows, so it is found from the button, not by id.
    var panel = button.closest(".activation-key");
    var source = panel && panel.querySelector(".key");
    if (!source) return;
    // The button's words come from the page, in its language.
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.dataset.copiedLabel || label;
      button.dataset.copied = "1";
      setTimeout(function () { button.textContent = label; }, 2500);
    }, function () {
      button.textContent = button.dataset.failedLabel || label;
    });
  });

  // The invoice page's Print button, shown only when it can work.
  document.addEventListener("click", function (e) {
    if (e.target.closest("button[data-print]")) window.print();
  });

  function enhance(root) {
    localizeDates(root);
    enableCopyButtons(root);
    root.querySelectorAll("button[data-print]").forEach(function (b) { b.hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // htmx fires htmx:load for every piece of content it swaps in.
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
})();
