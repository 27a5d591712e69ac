// The service worker of the verification pages, scoped to {{ scope }} only (the officer app has
// its own worker at /sw.js). It keeps the offline verifier ({{ offline_url }}) and its files; a page
// under {{ scope }} opened without a connection (a certificate's QR link, /verify/<code>/#t=<token>)
// gets the offline verifier, which checks the token in the link. Online, every page comes from the
// server as before. Version {{ version }}: it changes with the published keys and the files, so
// the browser installs the new worker and keeps the new page. README "Offline QR verification".
"use strict";

const CACHE = "pimpasa-verify-{{ version }}";
const OFFLINE_URL = {{ offline_url_json|safe }};
const ASSETS = {{ assets_json|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([OFFLINE_URL, ...ASSETS]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("pimpasa-verify-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate") {
    // Network first: online, the server's answer (the revocation status as today); without a
    // connection, the kept offline verifier, which reads the token from the link's fragment.
    event.respondWith(
      fetch(request).then(
        (response) => {
          if (url.pathname === OFFLINE_URL && response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(OFFLINE_URL, copy)));
          }
          return response;
        },
        () => caches.open(CACHE).then((cache) => cache.match(OFFLINE_URL)),
      ),
    );
    return;
  }
  if (url.origin === self.location.origin && ASSETS.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((kept) => kept || fetch(request)));
  }
});
