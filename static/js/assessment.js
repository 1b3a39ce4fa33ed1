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

  // A refusal (400 bad input, 409 locked) is answered with the leaf's part of the page and its
  // message, marked X-Refusal: in-place by the server (indices/views/assessment.py). htmx swaps no
  // 4xx by default: this one is swapped where it was asked for. Any other error answer keeps
  // htmx's default (nothing swapped), so that no error page lands inside a leaf.
  function refusedInPlace(detail) {
    const xhr = detail.xhr;
    return (
      (xhr.status === 400 || xhr.status === 409) &&
      xhr.getResponseHeader("X-Refusal") === "in-place" &&
      tree.contains(detail.target || detail.elt)
    );
  }

  // On a developer's machine (DEBUG) django-htmx's debug script, listening on the document,
  // writes every 400 answer over the whole page. A refusal is no error page: it stops here.
  tree.addEventListener("htmx:beforeOnLoad", function (event) {
    if (refusedInPlace(event.detail)) event.stopPropagation();
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (refusedInPlace(event.detail)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // What the user typed while the request was on its way is not overwritten by the answer.
  let typed = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    typed = null;
    const target = event.detail.target;
    if (!event.detail.shouldSwap || !target || !tree.contains(target)) return;
    const sent = event.detail.requestConfig ? event.detail.requestConfig.parameters : null;
    if (!sent) return;
    typed = [];
    target.querySelectorAll("input[type=text][id], textarea[id]").forEach(function (field) {
      const before = typeof sent.get === "function" ? sent.get(field.name) : sent[field.name];
      if (before !== undefined && before !== null && String(before) !== field.value) {
        typed.push({ id: field.id, value: field.value });
      }
    });
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    if (!typed) return;
    typed.forEach(function (entry) {
      const field = document.getElementById(entry.id);
      if (field) {
        field.value = entry.value;
        const form = field.closest("form");
        if (form) form.setAttribute("data-unsaved", "");
      }
    });
    typed = null;
    update();
  });

  // After a file was deleted from its dialog, the link that opened it is gone: the focus goes
  // to the message of the evidence block, not to the top of the page.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const swapped = event.detail.target;
    if (!swapped || !swapped.id || swapped.id.indexOf("evidence-") !== 0) return;
    // An outerHTML swap: the block on the page now is the new one of the same id.
    const target = document.getElementById(swapped.id);
    if (!target) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const message = target.querySelector("[role=alert], [role=status]");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
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
