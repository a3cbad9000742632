// After a form comes back with errors, the keyboard and the screen reader start at the first
// field in error (its label and message are read with it) instead of at the top of the page; a
// form whose only error is about the whole form starts at that message.
(function () {
  "use strict";

  var FIELDS = "input, select, textarea";

  function firstError() {
    var main = document.getElementById("main") || document.body;
    var invalid = main.querySelectorAll('[aria-invalid="true"], .is-invalid');
    for (var index = 0; index < invalid.length; index++) {
      var element = invalid[index];
      var target = element.matches(FIELDS) ? element : element.querySelector(FIELDS);
      if (target && !target.disabled && target.type !== "hidden" && target.getClientRects().length) {
        return target;
      }
    }
    var alert = main.querySelector("form .alert-danger, .alert-danger[data-form-errors]");
    if (alert) {
      if (!alert.hasAttribute("tabindex")) {
        alert.setAttribute("tabindex", "-1");
      }
      return alert;
    }
    return null;
  }

  function focusFirstError() {
    var target = firstError();
    if (target) {
      target.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
