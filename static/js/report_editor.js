// The small editor of a report's sections: bold, italic, bulleted and numbered lists.
// Without JavaScript the page shows a plain textarea of HTML; with it, an editable area whose
// HTML is copied back into that textarea on submit. The server cleans whatever arrives
// (reports/text.py), so this is a convenience, not a guard.
(function () {
  "use strict";
  const form = document.querySelector("[data-report-editor]");
  if (!form) return;
  const pairs = [];

  form.querySelectorAll("textarea[data-editor-source]").forEach(function (source) {
    const box = source.parentElement;
    const area = box.querySelector("[data-editor-area]");
    const toolbar = box.querySelector("[data-editor-toolbar]");
    if (!area || !toolbar) return;
    area.innerHTML = source.value || "<p><br></p>";
    area.classList.remove("d-none");
    toolbar.classList.remove("d-none");
    source.classList.add("d-none");
    source.setAttribute("aria-hidden", "true");
    source.tabIndex = -1;
    box.querySelector("label").addEventListener("click", function (event) {
      event.preventDefault();
      area.focus();
    });
    toolbar.addEventListener("mousedown", function (event) {
      // Keep the selection in the editable area while a button is pressed.
      if (event.target.closest("[data-command]")) event.preventDefault();
    });
    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("[data-command]");
      if (!button) return;
      area.focus();
      document.execCommand(button.dataset.command, false, null);
    });
    pairs.push([area, source]);
  });

  form.addEventListener("submit", function () {
    pairs.forEach(function (pair) {
      pair[1].value = pair[0].innerHTML;
    });
  });
})();
