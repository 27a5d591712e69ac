// "Salin tautan" beside a share link: copies the link and says so. Progressive enhancement:
// the button is shown only when this script runs; without it the link stays in its field,
// ready to be selected and copied by hand. No inline script: the CSP forbids it.
(function () {
  "use strict";

  function copyText(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain http (no Clipboard API): the older way, through a selection.
    return new Promise(function (resolve, reject) {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) resolve();
        else reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      }
    });
  }

  var buttons = document.querySelectorAll("button[data-copy-target]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      copyText(field).then(
        function () {
          status.textContent = button.getAttribute("data-copied-text");
        },
        function () {
          field.focus();
          field.select();
          status.textContent = button.getAttribute("data-copy-failed-text");
        }
      );
    });
  });
})();
