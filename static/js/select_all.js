// The inbox's "tick every report waiting" box: [data-select-all] in a form ticks or unticks every
// checkbox named "report" of that form, and follows them (ticked when all are, mixed when some
// are). Hidden until this file runs: without JavaScript each report is ticked by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    const form = all.form || all.closest("form");
    if (!form) return;
    const boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="report"]'));
    if (!boxes.length) return;
    function follow() {
      const ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      follow();
    });
    boxes.forEach(function (box) { box.addEventListener("change", follow); });
    follow();
  });
})();
