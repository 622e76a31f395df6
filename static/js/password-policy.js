/*
 * Ticks the password rules of seed 001 as the user types (set-password and reset pages).
 *
 * The page works without this file: the rules are listed and the server enforces them
 * (accounts/validators.py). The checks below mirror those validators; the server's answer
 * is the one that counts.
 */
(function () {
  "use strict";

  var checks = {
    length: function (value, item) {
      var min = parseInt(item.getAttribute("data-min-length") || "8", 10);
      return Array.from(value).length >= min;
    },
    case: function (value) {
      return /\p{Lu}/u.test(value) && /\p{Ll}/u.test(value);
    },
    digit: function (value) {
      return /[0-9]/.test(value);
    },
    symbol: function (value) {
      // Anything that is not a letter, a number or white space, like accounts.validators.is_symbol.
      return /[^\p{L}\p{N}\s]/u.test(value);
    }
  };

  function setState(item, met) {
    item.classList.toggle("rule-met", met);
    var state = item.querySelector(".rule-state");
    if (state) {
      state.textContent = met ? state.getAttribute("data-met") : state.getAttribute("data-unmet");
    }
  }

  function init(list) {
    var form = list.closest("form");
    if (!form) {
      return;
    }
    var password = form.elements.password1;
    var confirm = form.elements.password2;
    if (!password) {
      return;
    }
    var items = list.querySelectorAll("[data-rule]");
    items.forEach(function (item) {
      var state = item.querySelector(".rule-state");
      if (state) {
        state.setAttribute("data-met", list.getAttribute("data-text-met") || "");
        state.setAttribute("data-unmet", list.getAttribute("data-text-unmet") || "");
      }
    });

    function update() {
      items.forEach(function (item) {
        var rule = item.getAttribute("data-rule");
        if (rule === "match") {
          setState(item, password.value !== "" && confirm !== undefined && password.value === confirm.value);
        } else if (checks[rule]) {
          setState(item, checks[rule](password.value, item));
        }
      });
    }

    list.classList.add("is-live");
    password.addEventListener("input", update);
    if (confirm) {
      confirm.addEventListener("input", update);
    }
    update();
  }

  document.querySelectorAll(".password-rules").forEach(init);
})();
