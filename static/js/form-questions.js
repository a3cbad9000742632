// The proposal form asks each form of twinning's own questions: a fieldset per form, marked
// data-questions-for="<code>", shown only while that form's checkbox (data-form-code) is
// ticked. Without this script every fieldset shows, its legend saying which form it belongs
// to; the server ignores the answers of forms not chosen either way.
(function () {
  "use strict";

  function sync(box) {
    var questions = document.querySelector('[data-questions-for="' + box.dataset.formCode + '"]');
    if (questions) {
      questions.hidden = !box.checked;
    }
  }

  document.querySelectorAll("input[data-form-code]").forEach(function (box) {
    sync(box);
    box.addEventListener("change", function () {
      sync(box);
    });
  });
})();
