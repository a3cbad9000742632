// A table too wide for the window scrolls sideways inside its own box (.table-responsive):
// such a box takes the keyboard's focus, so that it can be scrolled with the arrow keys, and
// only while it does scroll (a box that fits is no extra stop for the Tab key). Run at the end
// of the page, when the tables are laid out, and again when the window changes size.
(function () {
  "use strict";

  function mark() {
    var boxes = document.querySelectorAll(".table-responsive");
    for (var index = 0; index < boxes.length; index += 1) {
      var box = boxes[index];
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    }
  }

  mark();
  window.addEventListener("resize", mark);
})();
