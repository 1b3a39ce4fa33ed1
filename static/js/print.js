// A button with data-print prints the page (the one-time password's hand-over sheet). Without
// JavaScript the browser's own Print does the same; static/css/accounts.css hides the rest.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
