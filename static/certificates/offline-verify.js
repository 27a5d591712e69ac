// The offline verifier (templates/certificates/verify_offline.html): checks the signed token that a
// certificate's QR code carries in its link (#t=<compact JWS, EdDSA>) with the public keys the page
// embeds, in the browser (WebCrypto Ed25519), and shows its claims. Claim names and formats:
// certificates/credentials/qr.py. No inline script: the CSP forbids it.
(function () {
  "use strict";

  var root = document.getElementById("offline-verifier");
  var keysElement = document.getElementById("offline-verifier-keys");
  if (!root || !keysElement) return;
  var keys = JSON.parse(keysElement.textContent);

  function show(verdict) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-verdict]"), function (element) {
      element.hidden = element.getAttribute("data-verdict") !== verdict;
    });
  }

  function base64url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    var padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function json(bytes) {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  }

  function tokenOfLocation() {
    var fragment = window.location.hash.replace(/^#/, "");
    return new URLSearchParams(fragment).get("t");
  }

  function dateOf(yyyymmdd) {
    var n = Number(yyyymmdd);
    return new Date(Date.UTC(Math.floor(n / 10000), Math.floor(n / 100) % 100 - 1, n % 100));
  }

  function formatDate(yyyymmdd) {
    var language = root.getAttribute("data-lang") || "id";
    return new Intl.DateTimeFormat(language, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
      .format(dateOf(yyyymmdd));
  }

  function todayNumber() {
    var now = new Date();
    return now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
  }

  function showClaims(claims) {
    var values = {
      n: claims.n,
      // Only the last four digits travel in the token; shown masked as on the online page.
      p: claims.p ? "\u2022".repeat(14) + claims.p : "",
      c: claims.c,
      a: claims.a,
      jp: claims.jp !== undefined ? claims.jp + " JP" : "",
      i: claims.i ? formatDate(claims.i) : "",
      x: claims.x ? formatDate(claims.x) : null,
      s: claims.s,
    };
    Array.prototype.forEach.call(root.querySelectorAll("[data-claim]"), function (element) {
      var value = values[element.getAttribute("data-claim")];
      element.textContent = value === null ? element.getAttribute("data-none") : String(value || "");
    });
    root.querySelector("[data-when=expired]").hidden = !(claims.x && todayNumber() > claims.x);
    document.getElementById("offline-claims").hidden = false;
  }

  function showOnlineLink() {
    var match = /\/verify\/([0-9A-Za-z]{16})\/$/.exec(window.location.pathname);
    var paragraph = document.getElementById("online-link");
    if (!match || !paragraph) return;
    paragraph.querySelector("a").href = window.location.pathname;
    paragraph.hidden = false;
  }

  function verify(token) {
    var parts = (token || "").split(".");
    if (parts.length !== 3) return Promise.resolve({ verdict: "invalid" });
    var header, claims, signature;
    try {
      header = json(base64url(parts[0]));
      claims = json(base64url(parts[1]));
      signature = base64url(parts[2]);
    } catch (error) {
      return Promise.resolve({ verdict: "invalid" });
    }
    if (header.alg !== "EdDSA") return Promise.resolve({ verdict: "invalid" });
    var jwk = Object.prototype.hasOwnProperty.call(keys, header.kid) ? keys[header.kid] : null;
    if (!jwk) return Promise.resolve({ verdict: "unknown-key" });
    if (!window.crypto || !window.crypto.subtle) return Promise.resolve({ verdict: "unsupported" });
    var signed = new TextEncoder().encode(parts[0] + "." + parts[1]);
    return window.crypto.subtle
      .importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"])
      .then(
        function (key) {
          return window.crypto.subtle.verify({ name: "Ed25519" }, key, signature, signed).then(function (ok) {
            return ok ? { verdict: "valid", claims: claims } : { verdict: "invalid" };
          });
        },
        function () {
          return { verdict: "unsupported" };
        }
      );
  }

  function run() {
    var token = tokenOfLocation();
    document.getElementById("offline-claims").hidden = true;
    if (!token) {
      show("none");
      return;
    }
    showOnlineLink();
    verify(token).then(function (result) {
      show(result.verdict);
      if (result.verdict === "valid") showClaims(result.claims);
    });
  }

  window.addEventListener("hashchange", run);
  run();
})();
