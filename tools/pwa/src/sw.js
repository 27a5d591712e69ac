// The officer app's service worker (README "Offline").
//
// Online it changes nothing: every request goes to the network (Workbox
// NetworkOnly) and no response is stored by the worker. Only when the network
// fails does it answer, from what the officer saved with "Simpan untuk offline"
// (Cache Storage, written by the page script), and only from the caches of the
// officer last seen on this phone. A page never saved, and anything needing the
// server (a quiz, a form sent), gets the saved "offline" page instead.
//
// /admin/, /hr/ and /django-admin/ are never routed: the browser handles them
// as if there were no worker.
import { clientsClaim } from "workbox-core";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkOnly } from "workbox-strategies";
import { currentKey, userPrefix, clearAll } from "./keys.js";

const NEVER = ["/admin/", "/hr/", "/django-admin/", "/sw.js", "/__pimpasa/"];
const OFFLINE_PAGE = "/offline/";

self.skipWaiting();
clientsClaim();

async function savedCopy(request) {
  const key = await currentKey();
  if (!key) return undefined;
  const prefix = userPrefix(key);
  const names = (await caches.keys()).filter((name) => name.startsWith(prefix));
  for (const name of names) {
    const cache = await caches.open(name);
    const response = await cache.match(request, { ignoreVary: true });
    if (response) return response;
  }
  return undefined;
}

async function offlinePage() {
  const page = await savedCopy(new Request(new URL(OFFLINE_PAGE, self.location.origin).href));
  if (page) return page;
  return new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function routed({ url, sameOrigin }) {
  return sameOrigin && !NEVER.some((prefix) => url.pathname.startsWith(prefix));
}

const fromSaved = {
  async handlerDidError({ request }) {
    const saved = request.method === "GET" ? await savedCopy(request) : undefined;
    if (saved) return saved;
    if (request.mode === "navigate") return offlinePage();
    return Response.error();
  },
};

registerRoute(routed, new NetworkOnly({ plugins: [fromSaved] }), "GET");
// A form sent while offline (starting a quiz, ...) needs the server: the offline page says so.
registerRoute(({ request, ...rest }) => request.mode === "navigate" && routed(rest), new NetworkOnly({ plugins: [fromSaved] }), "POST");
setCatchHandler(async ({ request }) => (request.mode === "navigate" ? offlinePage() : Response.error()));

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "PIMPASA_CLEAR") event.waitUntil(clearAll());
});
