// A table too wide for the window scrolls sideways inside its own box (.table-responsive):
// such a box takes the keyboard's focus, so that it can be scrolled with the arrow keys, and
// only while it does scroll (a box that fits is no extra stop for the Tab key). Run at the end
// of the page, and again whenever a box or its table changes size: the window turned, a
// panel opened, or the page's layout settled after this script ran.
(function () {
  "use strict";

  function mark(box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
    }
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-responsive"));
  boxes.forEach(mark);
  if ("ResizeObserver" in window) {
    var watch = new ResizeObserver(function () {
      boxes.forEach(mark);
    });
    boxes.forEach(function (box) {
      watch.observe(box);
      if (box.firstElementChild) {
        watch.observe(box.firstElementChild);
      }
    });
  } else {
    window.addEventListener("resize", function () {
      boxes.forEach(mark);
    });
  }
})();
