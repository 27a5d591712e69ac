// The officer pages' script (templates/base.html; never on /admin/ or /hr/):
// registers the service worker, shows the offline banner, tells the worker whose
// pages these are, and clears this phone's saved pages on logout.
import { clearAll, clearOthers, setCurrentKey } from "./keys.js";
import { initSaving } from "./saving.js";
import { initSync } from "./sync.js";

const root = document.documentElement;
const key = root.dataset.offlineKey || "";
const workerUrl = root.dataset.serviceWorker;

function showBanner() {
  const banner = document.getElementById("offline-banner");
  if (banner) banner.hidden = navigator.onLine;
}

// Starting a quiz needs the server: offline, the form says so instead of failing.
function guardConnectionForms() {
  for (const form of document.querySelectorAll("form[data-needs-connection]")) {
    form.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      const message = form.parentElement.querySelector("[data-connection-needed]");
      if (message) {
        message.hidden = false;
        message.focus();
      }
    });
  }
}

async function start() {
  showBanner();
  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);
  guardConnectionForms();
  if (!("serviceWorker" in navigator) || !("caches" in window) || !workerUrl) return;
  if (key) {
    await clearOthers(key);
    await setCurrentKey(key);
  }
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      form.dataset.cleared = "1";
      // The logout response's Clear-Site-Data header clears them too; this covers browsers without it.
      clearAll().finally(() => form.submit());
    });
  }
  try {
    await navigator.serviceWorker.register(workerUrl, { scope: "/" });
  } catch (error) {
    // No worker (private window, old browser): the site works online as before.
  }
  initSaving(key);
  initSync(key);
}

start();
