// The self-assessment page: running totals while the officer types, and htmx answers with
// errors shown in place. The server computes the same capped sums on save (indices/scoring.py:
// a node's points = min(sum of its children, its max)) and its totals replace these.
(function () {
  "use strict";
  const tree = document.querySelector("[data-assessment]");
  if (!tree) return;
  const format = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  const NUMBER = /^\d+([.,]\d+)?$/;

  // Points in hundredths, as integers: 0,25 steps add up without floating-point drift.
  function hundredths(text) {
    const cleaned = String(text || "").trim().replace(/\s/g, "");
    if (!cleaned) return 0;
    if (!NUMBER.test(cleaned)) return null;
    return Math.round(Number(cleaned.replace(",", ".")) * 100);
  }

  function show(value) {
    return format.format(value / 100);
  }

  function update() {
    const nodes = {};
    tree.querySelectorAll("[data-node]").forEach(function (el) {
      nodes[el.dataset.node] = { parent: el.dataset.parent, max: hundredths(el.dataset.max), kids: [] };
    });
    tree.querySelectorAll("[data-leaf]").forEach(function (el) {
      const input = el.querySelector("[data-score]");
      let value = hundredths(input ? input.value : el.dataset.value);
      if (input) input.classList.toggle("is-invalid", value === null || value > hundredths(el.dataset.max));
      nodes[el.dataset.leaf] = { parent: el.dataset.parent, max: hundredths(el.dataset.max), value: value || 0, kids: [] };
    });
    Object.keys(nodes).forEach(function (pk) {
      const parent = nodes[pk].parent;
      if (parent && nodes[parent]) nodes[parent].kids.push(pk);
    });
    const points = {};
    function visit(pk) {
      const node = nodes[pk];
      const raw = node.kids.length
        ? node.kids.reduce(function (sum, kid) { return sum + visit(kid); }, 0)
        : node.value;
      points[pk] = Math.min(Math.max(raw, 0), node.max);
      return points[pk];
    }
    let total = 0;
    Object.keys(nodes).forEach(function (pk) {
      if (!nodes[pk].parent) total += visit(pk);
    });
    if (tree.dataset.rescale) {
      const scaleMax = hundredths(tree.dataset.scaleMax);
      if (scaleMax) total = Math.round((total * 10000) / scaleMax);
    }
    Object.keys(points).forEach(function (pk) {
      const output = document.getElementById("points-" + pk);
      if (output) output.textContent = show(points[pk]);
      const summary = document.querySelector('[data-points-of="' + pk + '"]');
      if (summary) summary.textContent = show(points[pk]);
    });
    const overall = document.getElementById("total-overall");
    if (overall) overall.textContent = show(total);
  }

  tree.addEventListener("input", function (event) {
    if (event.target.matches("[data-score]")) update();
  });

  // htmx leaves 4xx answers unswapped by default; a leaf's answer carries its error message.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if ((status === 400 || status === 409) && tree.contains(event.detail.target)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A score refused for want of evidence is sent again once a file has been uploaded.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (!target || !target.id || target.id.indexOf("evidence-") !== 0) return;
    if (event.detail.xhr.status !== 200) return;
    const form = document.getElementById("score-form-" + target.id.slice("evidence-".length));
    if (form && form.hasAttribute("data-unsaved") && window.htmx) window.htmx.trigger(form, "submit");
  });
})();
