// The header's Menu on a phone (templates/includes/header.html) is a <details>: without
// this script the browser already opens and closes it with a click, Enter or Space and
// tells assistive technology whether it is expanded. This adds what the disclosure-
// navigation pattern (WAI-ARIA APG) expects and <details> lacks: Escape closes it and
// puts focus back on the Menu button, and so does a click elsewhere or Tab leaving it.
// Closing means setting `open`, so the expanded state follows by itself (an aria-expanded
// attribute on a <summary> is ignored by browsers, ARIA in HTML forbids it).
// No inline script: the CSP forbids it.
(function () {
  "use strict";

  var menu = document.querySelector("header details.site-menu");
  if (!menu) return; // the 500 page and the offline verifier have a header without one
  var button = menu.querySelector("summary");

  // From 48rem the button is hidden and the items sit in the row, open or not: nothing to close.
  function closable() {
    return menu.open && button.getClientRects().length > 0;
  }

  function close() {
    menu.open = false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !closable()) return;
    var focused = document.activeElement;
    // Escape belongs to the menu while focus is in it (or nowhere, after a click on the page).
    if (focused && focused !== document.body && !menu.contains(focused)) return;
    close();
    button.focus();
  });

  // A click, not a pointerdown: the panel sits in the page's flow, and closing it before
  // the click ends would move what is under the pointer.
  document.addEventListener("click", function (event) {
    if (closable() && !menu.contains(event.target)) close();
  });

  menu.addEventListener("focusout", function (event) {
    // Focus gone to nothing (a click on plain text, another window) is left to the click above.
    if (closable() && event.relatedTarget && !menu.contains(event.relatedTarget)) close();
  });
})();
