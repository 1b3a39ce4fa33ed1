// Confirmations before acting, in a modal <dialog> that the template wrote (hidden until opened):
// an element with data-confirm-dialog="ID" (a link, a submit button or a <summary>) opens dialog
// ID instead of acting. Without JavaScript the element does what it says on its own: the link
// opens a page that asks, the <summary> unfolds the same question in the page, the button posts
// to a server step that asks. So this file only spares a page load; nothing depends on it.
//
// In the dialog: [data-confirm-cancel] closes it (Esc too), focus goes back to the opener.
// [data-confirm-list] is filled with the data-confirm-item text of each ticked checkbox of the
// opener's form, [data-confirm-count] with their number; with none ticked, the opener acts as
// without JavaScript (the server says that nothing was chosen).
(function () {
  "use strict";
  let opener = null;

  function ticked(form) {
    if (!form) return [];
    return Array.prototype.filter.call(form.querySelectorAll("[data-confirm-item]"), function (box) {
      return box.checked;
    });
  }

  function fill(dialog, form) {
    const list = dialog.querySelector("[data-confirm-list]");
    if (!list) return true;
    const items = ticked(form);
    if (!items.length) return false;
    list.replaceChildren();
    items.forEach(function (box) {
      const item = document.createElement("li");
      item.textContent = box.dataset.confirmItem;
      list.appendChild(item);
    });
    dialog.querySelectorAll("[data-confirm-count]").forEach(function (el) {
      el.textContent = String(items.length);
    });
    return true;
  }

  document.addEventListener("click", function (event) {
    const trigger = event.target.closest("[data-confirm-dialog]");
    if (trigger) {
      const dialog = document.getElementById(trigger.dataset.confirmDialog);
      if (!dialog || typeof dialog.showModal !== "function" || dialog.open) return;
      if (!fill(dialog, trigger.form || trigger.closest("form"))) return;
      event.preventDefault();
      opener = trigger;
      dialog.showModal();
      const first = dialog.querySelector("[data-confirm-cancel]");
      if (first) first.focus();
      return;
    }
    const cancel = event.target.closest("[data-confirm-cancel]");
    if (cancel) {
      const dialog = cancel.closest("dialog");
      if (dialog) {
        event.preventDefault();
        dialog.close();
      }
    }
  });

  // Back to where the user was, whether closed by a button or by Esc.
  document.addEventListener(
    "close",
    function (event) {
      if (!(event.target instanceof HTMLDialogElement)) return;
      if (opener && opener.isConnected) opener.focus();
      opener = null;
    },
    true,
  );
})();
