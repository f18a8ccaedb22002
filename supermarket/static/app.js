// Shared helpers for pages: JSON calls that carry the CSRF token, and a guard against double taps.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  window.csrfToken = meta ? meta.getAttribute("content") : "";

  window.apiFetch = function (url, options) {
    options = options || {};
    options.headers = Object.assign({"Accept": "application/json", "X-CSRFToken": window.csrfToken},
      options.body && !(options.body instanceof FormData) ? {"Content-Type": "application/json"} : {},
      options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return {ok: resp.ok, status: resp.status, data: data};
      });
    });
  };

  // The compact header's 菜单 button (the till) opens the menu, the language switch and logout.
  var menuToggle = document.getElementById("menu-toggle");
  if (menuToggle) {
    menuToggle.addEventListener("click", function () {
      var bar = menuToggle.closest(".topbar"), open = !bar.classList.contains("menu-open");
      bar.classList.toggle("menu-open", open);
      menuToggle.setAttribute("aria-expanded", open ? "true" : "false");
      var nav = document.getElementById("main-nav");
      if (open && nav) { bar.style.setProperty("--menu-h", nav.offsetHeight + 4 + "px"); }
    });
  }

  // A form submitted once stays submitted: a second tap does nothing.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.method === "dialog") { return; }  // closes a dialog; nothing goes to the server
    // A form with data-confirm asks first (instead of an inline onsubmit, which the CSP would block).
    if (form.dataset.confirm && form.dataset.submitted !== "1" && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }
    if (form.dataset.submitted === "1") { ev.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 4000);
  }, true);

  // "Back" links on error pages (no javascript: URLs under the Content-Security-Policy).
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("[data-back]") : null;
    if (link) { ev.preventDefault(); history.back(); }
  });
})();
