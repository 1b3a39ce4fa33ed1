// Live totals and rates of the Biểu 06 entry grid. The server computes the same figures on
// save (dossiers/figures.py); this only shows them while the officer types.
(function () {
  "use strict";
  const grid = document.querySelector("[data-entry-grid]");
  if (!grid) return;
  const numberFormat = new Intl.NumberFormat("vi-VN");
  const rateFormat = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const NUMBER = /^(\d+|\d{1,3}([.\s]\d{3})+)$/;
  const GROUPS = {
    received: ["received_online", "received_in_person", "received_postal", "carried_over"],
    resolved: ["resolved_early", "resolved_on_time", "resolved_late"],
    pending: ["pending_in_time", "pending_overdue"],
  };

  function read(input) {
    const text = input.value.trim();
    if (!text) return 0;
    if (!NUMBER.test(text)) return null;
    return parseInt(text.replace(/[.\s]/g, ""), 10);
  }

  function rate(numerator, denominator) {
    return denominator ? rateFormat.format((numerator * 100) / denominator) + "%" : "–";
  }

  function update() {
    const sums = {};
    grid.querySelectorAll("tr[data-row]").forEach(function (row) {
      const values = {};
      row.querySelectorAll("td[data-column]").forEach(function (cell) {
        const input = cell.querySelector("input");
        const value = read(input);
        input.classList.toggle("is-invalid", value === null);
        values[cell.dataset.column] = value || 0;
        sums[cell.dataset.column] = (sums[cell.dataset.column] || 0) + (value || 0);
      });
      Object.keys(GROUPS).forEach(function (group) {
        const total = GROUPS[group].reduce(function (sum, name) { return sum + values[name]; }, 0);
        row.querySelector('[data-total="' + group + '"]').textContent = numberFormat.format(total);
      });
    });
    grid.querySelectorAll("[data-sum]").forEach(function (output) {
      output.textContent = numberFormat.format(sums[output.dataset.sum] || 0);
    });
    const totals = {};
    Object.keys(GROUPS).forEach(function (group) {
      totals[group] = GROUPS[group].reduce(function (sum, name) { return sum + (sums[name] || 0); }, 0);
      grid.querySelector('[data-sum-total="' + group + '"]').textContent = numberFormat.format(totals[group]);
    });
    const received = totals.received - (sums.carried_over || 0);
    const outputs = {
      online: rate(sums.received_online || 0, received),
      on_time: rate((sums.resolved_early || 0) + (sums.resolved_on_time || 0), totals.resolved),
      late: rate(sums.resolved_late || 0, totals.resolved),
      payment: rate(sums.online_payments || 0, sums.dossiers_with_fees || 0),
    };
    Object.keys(outputs).forEach(function (name) {
      const output = document.querySelector('[data-rate="' + name + '"]');
      if (output) output.textContent = outputs[name];
    });
  }

  grid.addEventListener("input", update);
  update();

  // After a refused save the first bad cell has the focus (autofocus, also without JavaScript);
  // here it is brought into view clear of the sticky header and first column (scroll-margin), and
  // each link of the list above the grid goes to its cell and focuses it.
  function focusCell(input) {
    input.focus({ preventScroll: true });
    input.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-cell-link]");
    if (!link) return;
    const input = document.getElementById(link.dataset.cellLink);
    if (!input) return;
    event.preventDefault();
    focusCell(input);
  });
  const first = grid.querySelector("input[autofocus]");
  if (first) focusCell(first);
})();
