// Installs the verification pages' service worker (/verify/sw.js, scope /verify/ only: the
// officer app's worker is another one), which keeps the offline verifier for when a certificate's
// QR code is scanned without a connection. README "Offline QR verification".
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker
    .register(script.getAttribute("data-worker"), { scope: script.getAttribute("data-scope") })
    .catch(function () {
      // Without a worker the pages still work online; nothing to tell the visitor.
    });
})();
