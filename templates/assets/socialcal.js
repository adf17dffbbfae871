/* socialcal: filters on calendar pages. The pages are complete without this script; it only
   hides entries. Re-run on every page load, including Material's instant navigation. */
(function () {
  "use strict";
  var KEY = "socialcal-filters";

  function saved() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }

  function matches(el, wanted) {
    return Object.keys(wanted).every(function (key) {
      var value = wanted[key];
      if (!value) return true;
      var have = (el.getAttribute("data-" + key) || "").split(" ");
      return have.indexOf(value) !== -1;
    });
  }

  function apply(form) {
    var wanted = {};
    form.querySelectorAll("select[data-filter]").forEach(function (s) { wanted[s.dataset.filter] = s.value; });
    var items = document.querySelectorAll(".sc-entry[data-status], .sc-post[data-status], tr[data-status]");
    var shown = 0, posts = 0;
    items.forEach(function (el) {
      var ok = matches(el, wanted);
      if (ok) el.removeAttribute("data-sc-hidden"); else el.setAttribute("data-sc-hidden", "");
      if (el.classList.contains("sc-post") || el.classList.contains("sc-entry")) {
        posts += 1; if (ok) shown += 1;
      }
    });
    var active = Object.keys(wanted).some(function (k) { return wanted[k]; });
    var out = form.querySelector(".sc-filter-count");
    if (out) out.textContent = active ? "Filtered: some posts are hidden" : "";
    try { sessionStorage.setItem(KEY, JSON.stringify(wanted)); } catch (e) { /* private mode */ }
  }

  function init() {
    // Material's search dialog has no accessible name; give it one.
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    var form = document.querySelector(".sc-filters");
    if (form) {
      var state = saved();
      form.querySelectorAll("select[data-filter]").forEach(function (s) {
        var v = state[s.dataset.filter];
        if (v && s.querySelector('option[value="' + CSS.escape(v) + '"]')) s.value = v;
        s.addEventListener("change", function () { apply(form); });
      });
      form.addEventListener("reset", function () { setTimeout(function () { apply(form); }, 0); });
      form.hidden = false;
      apply(form);
    }
    document.querySelectorAll(".sc-copy-btn").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        var input = document.getElementById(b.dataset.copy);
        if (!input) return;
        input.select();
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(function () {});
        b.textContent = "Copied";
      });
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
