// The portal's own script. Everything works without it; it only shows dates in
// the viewer's own format and language.
(function () {
  "use strict";

  var dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

  // Shows each <time datetime="YYYY-MM-DD…"> in the viewer's date format. Dates are
  // calendar days kept in UTC, so they are formatted in UTC too (no day shift).
  function localizeDates(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      if (el.dataset.localized) return;
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) return;
      el.title = el.getAttribute("datetime").slice(0, 10);
      el.textContent = dateFormat.format(d);
      el.dataset.localized = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { localizeDates(document); });
  // htmx fires htmx:load for every piece of content it swaps in.
  document.addEventListener("htmx:load", function (e) { localizeDates(e.target); });
})();
