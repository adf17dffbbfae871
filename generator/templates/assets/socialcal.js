/* socialcal: filters on calendar pages, long texts folded, copy buttons. The pages are complete
   without this script. Re-run on every page load, including Material's instant navigation.

   Filters live in the address (?channel=instagram-cern&status=proposed), so a filtered view can be
   shared: loading such an address restores the filter, and changing a filter updates it. Moving
   on to another page keeps the filter: the pager links carry it, and the last filter of the tab is
   remembered for calendar pages reached without one. */
(function () {
  "use strict";
  var KEY = "socialcal-filters";
  var FILTERS = ["channel", "series", "campaign", "status"];
  var ITEMS = ".sc-entry[data-status], .sc-pcard[data-status], .sc-post[data-status], tr[data-status]";

  function remembered() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }

  function remember(wanted) {
    try { sessionStorage.setItem(KEY, JSON.stringify(wanted)); } catch (e) { /* private mode */ }
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    var wanted = {}, any = false;
    FILTERS.forEach(function (key) {
      var v = params.get(key);
      if (v) { wanted[key] = v; any = true; }
    });
    return any ? wanted : null;
  }

  /* The query string of the filters, other parameters of the address kept. */
  function query(wanted, search) {
    var params = new URLSearchParams(search);
    FILTERS.forEach(function (key) {
      if (wanted[key]) params.set(key, wanted[key]); else params.delete(key);
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function matches(el, wanted) {
    return Object.keys(wanted).every(function (key) {
      var value = wanted[key];
      if (!value) return true;
      var have = (el.getAttribute("data-" + key) || "").split(" ");
      return have.indexOf(value) !== -1;
    });
  }

  /* A busy day of the month grid shows its first few matching posts and "+N more". */
  function recount() {
    document.querySelectorAll("table.sc-grid td.sc-cell").forEach(function (cell) {
      var more = cell.querySelector(".sc-more");
      var limit = more ? parseInt(more.dataset.inCell, 10) : 3;
      var shown = 0, rest = 0;
      cell.querySelectorAll(".sc-entry").forEach(function (entry) {
        if (entry.hasAttribute("data-sc-hidden")) { entry.classList.remove("sc-over"); return; }
        if (shown < limit) { shown += 1; entry.classList.remove("sc-over"); }
        else { rest += 1; entry.classList.add("sc-over"); }
      });
      if (!more && rest) {
        more = document.createElement("a");
        more.className = "sc-more";
        more.href = "#" + cell.id;
        more.dataset.inCell = String(limit);
        cell.appendChild(more);
      }
      if (more) {
        more.hidden = rest === 0;
        var label = more.querySelector(".sc-sr");
        more.textContent = "+" + rest + " more";
        if (label) more.appendChild(label);
      }
    });
  }

  function apply(form, wanted) {
    var items = document.querySelectorAll(ITEMS);
    var shown = 0;
    items.forEach(function (el) {
      var ok = matches(el, wanted);
      if (ok) { el.removeAttribute("data-sc-hidden"); shown += 1; } else el.setAttribute("data-sc-hidden", "");
    });
    hideEmptyDays();
    recount();
    var active = FILTERS.some(function (k) { return wanted[k]; });
    var out = form.querySelector(".sc-filter-count");
    if (out) out.textContent = active ? (shown ? "Filtered: some posts are hidden" : "No post matches the filter") : "";
    remember(wanted);
    // The address says what is shown; the pager links carry the filter on.
    var search = query(wanted, location.search);
    if (search !== location.search) {
      history.replaceState(history.state, "", location.pathname + search + location.hash);
    }
    document.querySelectorAll(".sc-pager a, a.sc-keep-filter").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), location.href);
      url.search = query(wanted, url.search);
      a.setAttribute("href", url.pathname + url.search + url.hash);
    });
  }

  function current(form) {
    var wanted = {};
    form.querySelectorAll("select[data-filter]").forEach(function (s) { wanted[s.dataset.filter] = s.value; });
    return wanted;
  }

  function select(form, wanted) {
    form.querySelectorAll("select[data-filter]").forEach(function (s) {
      var v = wanted[s.dataset.filter] || "";
      if (v && !Array.prototype.some.call(s.options, function (o) { return o.value === v; })) {
        // A value this page has no post for (another month's channel): kept, and shown as chosen.
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v + " (none here)";
        s.appendChild(option);
      }
      s.value = v;
    });
  }

  function initFilters() {
    var form = document.querySelector(".sc-filters");
    if (!form) return;
    var wanted = fromAddress() || remembered();
    select(form, wanted);
    form.querySelectorAll("select[data-filter]").forEach(function (s) {
      s.addEventListener("change", function () { apply(form, current(form)); });
    });
    form.addEventListener("reset", function () { setTimeout(function () { apply(form, current(form)); }, 0); });
    form.hidden = false;
    apply(form, current(form));
  }

  /* A day of the review queue with no card left (for either kind of filter) is hidden with its cards. */
  function hideEmptyDays() {
    document.querySelectorAll(".sc-desk-day").forEach(function (day) {
      var left = day.querySelector(".sc-pcard:not([data-sc-hidden]):not([data-sc-desk-hidden])");
      if (left) day.removeAttribute("data-sc-hidden"); else day.setAttribute("data-sc-hidden", "");
    });
  }

  /* The review desk: upcoming posts (the default), overdue ones, those with problems, or all; and
     one pull request's posts (review/?pr=N), its group moved first. The address keeps the choice.
     Without the script the desk shows every card, the pull requests first. */
  var SHOWS = ["upcoming", "overdue", "problems", "all"];

  function deskShows(card, show, pr) {
    if (pr && card.getAttribute("data-pr") !== pr) return false;
    if (show === "all") return true;
    if (show === "problems") return card.hasAttribute("data-problems");
    return card.getAttribute("data-when") === show;
  }

  function deskApply(form) {
    var show = (form.querySelector("input[name=show]:checked") || {}).value || "upcoming";
    var select = form.querySelector("select[name=pr]");
    var pr = select ? select.value : "";
    var cards = document.querySelectorAll(".sc-desk .sc-pcard[data-when], .sc-desk-prs .sc-pcard[data-when]");
    var shown = 0;
    cards.forEach(function (card) {
      if (deskShows(card, show, pr)) { card.removeAttribute("data-sc-desk-hidden"); shown += 1; }
      else card.setAttribute("data-sc-desk-hidden", "");
    });
    document.querySelectorAll(".sc-desk-pr").forEach(function (group) {
      var other = pr && group.getAttribute("data-pr") !== pr;
      var cardsIn = group.querySelectorAll(".sc-pcard[data-when]").length;
      var left = group.querySelector(".sc-pcard[data-when]:not([data-sc-desk-hidden])");
      if (other || (cardsIn && !left)) group.setAttribute("data-sc-desk-hidden", ""); else group.removeAttribute("data-sc-desk-hidden");
    });
    var merged = document.querySelector(".sc-desk");
    if (merged) {
      if (pr) merged.setAttribute("data-sc-desk-hidden", ""); else merged.removeAttribute("data-sc-desk-hidden");
    }
    hideEmptyDays();
    var out = form.querySelector(".sc-desk-count");
    if (out) out.textContent = shown + " of " + cards.length + " posts shown";
    var params = new URLSearchParams(location.search);
    if (show === "upcoming" && !pr) params.delete("show"); else params.set("show", show);
    if (pr) params.set("pr", pr); else params.delete("pr");
    var search = params.toString() ? "?" + params.toString() : "";
    if (search !== location.search) history.replaceState(history.state, "", location.pathname + search + location.hash);
  }

  function initDesk() {
    var form = document.querySelector(".sc-desk-filter");
    if (!form || form.dataset.scDesk) return;
    form.dataset.scDesk = "1";
    var params = new URLSearchParams(location.search);
    var select = form.querySelector("select[name=pr]");
    var pr = params.get("pr") || "";
    // Only a number the page lists: the value ends up in a selector.
    if (!/^[0-9]+$/.test(pr) || !select || !Array.prototype.some.call(select.options, function (o) { return o.value === pr; })) pr = "";
    var show = params.get("show") || (pr ? "all" : "upcoming");
    if (SHOWS.indexOf(show) === -1) show = "upcoming";
    if (select) select.value = pr;
    form.querySelector("input[name=show][value=" + show + "]").checked = true;
    if (pr) {
      var group = document.querySelector('.sc-desk-pr[data-pr="' + pr + '"]');
      var first = group && group.parentNode.querySelector(".sc-desk-pr");
      if (group && first !== group) group.parentNode.insertBefore(group, first);
      if (group) group.classList.add("sc-desk-pr-first");
    }
    form.addEventListener("change", function () { deskApply(form); });
    form.hidden = false;
    deskApply(form);
  }

  /* "+N more" opens its day, also where the theme's navigation moved to the anchor itself. */
  function initDays() {
    document.querySelectorAll("table.sc-grid").forEach(function (grid) {
      grid.addEventListener("click", function (event) {
        var more = event.target.closest && event.target.closest(".sc-more");
        if (!more) return;
        var cell = more.closest("td");
        if (cell) cell.classList.add("sc-open");
      });
    });
    if (location.hash.length > 1) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      var cell = target && target.closest("table.sc-grid td.sc-cell");
      if (cell) cell.classList.add("sc-open");
    }
  }

  /* Long texts are folded to a few lines, with a button to show them whole. */
  function initClamps() {
    document.querySelectorAll(".sc-clamp").forEach(function (text) {
      if (text.dataset.scClamp) return;
      text.dataset.scClamp = "1";
      text.classList.add("sc-clamped");
      if (text.scrollHeight <= text.clientHeight + 2) { text.classList.remove("sc-clamped"); return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sc-more-text";
      button.setAttribute("aria-expanded", "false");
      button.textContent = "Show the whole text";
      button.addEventListener("click", function () {
        var folded = text.classList.toggle("sc-clamped");
        button.setAttribute("aria-expanded", folded ? "false" : "true");
        button.textContent = folded ? "Show the whole text" : "Show less";
      });
      (text.closest(".sc-textbox") || text).insertAdjacentElement("afterend", button);
    });
  }

  function initCopy() {
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

  /* A table wider than the window scrolls in its own box (.sc-scroll): such a box takes the
     keyboard focus, so that the arrow keys scroll it, and is named after its table's caption or
     the heading above it. A box that fits is left out of the tab order. Checked again when the
     window changes size (a phone turned). */
  function scrollName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    return "Table";
  }

  function initScrolls() {
    document.querySelectorAll(".sc-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", scrollName(box) + " (scrolls sideways)");
      } else if (box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(initScrolls, 150);
  });

  function init() {
    // Material's search dialog has no accessible name; give it one.
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    initClamps();
    initFilters();
    initDesk();
    initDays();
    initCopy();
    initScrolls();
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
