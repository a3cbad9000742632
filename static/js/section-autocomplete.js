// A typed section field (input[data-section-autocomplete], sections.forms.SectionInput)
// becomes a combobox: as one types, up to twenty sections are fetched from the URL the
// attribute holds and listed below the input; Up and Down move through them, Enter or a
// click picks one (its label "Name (City, Country)" is written into the input), Escape
// closes the list. The server resolves whatever is typed either way, so without this script
// the field still works: one types the section's name or address name.
(function () {
  "use strict";

  var DELAY = 150;
  var counter = 0;

  function enhance(input) {
    var url = input.dataset.sectionAutocomplete;
    if (!url) {
      return;
    }
    counter += 1;
    var listbox = document.createElement("ul");
    listbox.id = (input.id || "section-input-" + counter) + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.className = "list-group section-suggestions";
    listbox.hidden = true;
    listbox.setAttribute("aria-label", input.dataset.suggestionsLabel || "Suggestions");
    // Right after the input and no wrapper around it: Bootstrap shows a field's error only
    // when it follows the invalid input (.is-invalid ~ .invalid-feedback). The list lies
    // over what follows, from where it stands.
    input.parentNode.classList.add("position-relative");
    input.insertAdjacentElement("afterend", listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var timer = null;
    var active = -1;
    var asked = "";

    function options() {
      return listbox.querySelectorAll("[role=option]");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) {
        return;
      }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
        option.classList.toggle("active", i === active);
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({block: "nearest"});
    }

    function pick(option) {
      input.value = option.dataset.label;
      close();
      input.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function show(results) {
      listbox.textContent = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "list-group-item list-group-item-action";
        option.dataset.label = result.label;
        option.textContent = result.label;
        // mousedown, not click: the input keeps its focus and the list is not closed first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(option);
        });
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function ask() {
      var text = input.value.trim();
      if (!text) {
        asked = "";
        close();
        return;
      }
      asked = text;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: {Accept: "application/json"},
      })
        .then(function (response) {
          return response.ok ? response.json() : {results: []};
        })
        .then(function (data) {
          // An answer to an older text than the input's is dropped.
          if (asked === text && document.activeElement === input) {
            show(data.results || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) {
          highlight(active + 1);
        } else {
          ask();
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(options()[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-section-autocomplete]").forEach(enhance);
})();
