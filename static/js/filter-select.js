// A long <select data-filterable> (twinning.forms.filterable) gets a box above it: what one
// types narrows its options to those whose text holds it, accents and case aside, and a status
// says how many are shown. The select itself stays the field: its label, its name, its values
// and the keyboard are the browser's own, so the form posts exactly what it did without this
// script, and without it the select is a plain one.
// A multiple select (twinning.forms.FilterableSelectMultiple) also: picks or drops the option
// one clicks without dropping the others (no Ctrl needed), and lists what is chosen below it,
// since a chosen option may be filtered out of sight.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(select, index) {
    var id = select.id || "filterable-" + index;
    var box = document.createElement("input");
    box.type = "search";
    box.id = id + "-filter";
    box.className = "form-control form-control-sm mb-1 select-filter";
    box.autocomplete = "off";
    box.setAttribute("aria-label", select.dataset.filterable);
    box.setAttribute("aria-controls", id);
    var status = document.createElement("div");
    status.id = id + "-filter-status";
    status.className = "visually-hidden";
    // Announced as it changes; not role=status, which a page keeps for its messages.
    status.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", status.id);
    select.insertAdjacentElement("beforebegin", box);
    select.insertAdjacentElement("beforebegin", status);

    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (option) {
      return fold(option.text);
    });

    var chosen = null;
    if (select.multiple) {
      chosen = document.createElement("p");
      chosen.id = id + "-chosen";
      chosen.className = "small mt-1 mb-0 select-chosen";
      chosen.setAttribute("aria-live", "polite");
      select.insertAdjacentElement("afterend", chosen);
      var described = select.getAttribute("aria-describedby");
      select.setAttribute("aria-describedby", (described ? described + " " : "") + chosen.id);
    }

    function showChosen() {
      if (!chosen) {
        return;
      }
      var names = options.filter(function (option) {
        return option.selected;
      }).map(function (option) {
        return option.text;
      });
      chosen.textContent = names.length
        ? select.dataset.filterChosen + " " + names.join(", ")
        : select.dataset.filterNone;
    }

    function narrow() {
      var typed = fold(box.value);
      var shown = 0;
      options.forEach(function (option, i) {
        // The chosen option of a single select and the empty choice ("Any country") stay.
        var keep = !typed || folded[i].indexOf(typed) !== -1 || option.value === "" ||
          (!select.multiple && option.selected);
        option.hidden = !keep;
        if (keep && option.value !== "") {
          shown += 1;
        }
      });
      var total = options.filter(function (option) {
        return option.value !== "";
      }).length;
      status.textContent = typed
        ? select.dataset.filterCount.replace("%(shown)s", shown).replace("%(total)s", total)
        : "";
    }

    box.addEventListener("input", narrow);
    box.addEventListener("keydown", function (event) {
      // Down from the box goes to the list, Enter does not send the form half filled.
      if (event.key === "ArrowDown" || event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });

    if (select.multiple) {
      select.addEventListener("mousedown", function (event) {
        var option = event.target;
        if (option.tagName !== "OPTION" || option.disabled) {
          return;
        }
        event.preventDefault();
        var top = select.scrollTop;
        option.selected = !option.selected;
        select.focus();
        select.scrollTop = top;
        select.dispatchEvent(new Event("change", {bubbles: true}));
      });
      select.addEventListener("change", showChosen);
      showChosen();
    }
  }

  document.querySelectorAll("select[data-filterable]").forEach(enhance);
})();
