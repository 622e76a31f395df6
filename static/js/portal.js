// Small progressive enhancements for the client portal. Every page works without it.
(function () {
  "use strict";

  // A form marked data-submit-once disables its buttons once sent, so a double click
  // does not send it twice (the server refuses a repeated new-ticket token anyway).
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
      }, 0);
    });
  });

  // (The list's filters deliberately wait for the "Filtrar" button: submitting on
  // change would reload the page under a keyboard user moving through a menu with
  // the arrow keys, WCAG 3.2.2.)

  // New ticket: when the chosen area already has open tickets of the client, show
  // them before sending (seed 001: do not duplicate a request in progress).
  var duplicates = document.querySelector("[data-duplicates]");
  if (duplicates) {
    var radios = document.querySelectorAll("input[name=area]");
    var showFor = function (slug) {
      var any = false;
      duplicates.querySelectorAll("[data-duplicates-for]").forEach(function (list) {
        var match = list.getAttribute("data-duplicates-for") === slug;
        list.hidden = !match;
        any = any || match;
      });
      duplicates.hidden = !any;
    };
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () { showFor(radio.value); });
      if (radio.checked) { showFor(radio.value); }
    });
  }

  // After a refused submit, move focus to the summary of errors.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // After a reply the page opens at the new message (#entrada-N): the browser scrolls
  // there, and the focus follows, so keyboard and screen-reader users start from it.
  var anchored = window.location.hash.slice(1);
  var entry = !summary && anchored.indexOf("entrada-") === 0 && document.getElementById(anchored);
  if (entry) {
    entry.setAttribute("tabindex", "-1");
    entry.focus();
  }
})();
