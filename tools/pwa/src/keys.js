// Names shared by the worker and the page script.
//
// Cache Storage holds, per officer, only what that officer saved with
// "Simpan untuk offline": caches named `pimpasa-<key>-...`, where <key> is a
// per-officer hash the officer's pages carry (<html data-offline-key>). The
// worker answers from those caches only when the network fails, and only from
// the caches of the officer whose key was last seen (STATE_CACHE). Logout and
// another officer logging in on the same phone delete them.
export const PREFIX = "pimpasa-";
export const STATE_CACHE = "pimpasa-state";
export const STATE_URL = "/__pimpasa/state";
export const META_URL = "/__pimpasa/meta";

export function userPrefix(key) {
  return `${PREFIX}${key}-`;
}

export function courseCacheName(key, courseId) {
  return `${userPrefix(key)}course-${courseId}`;
}

export function commonCacheName(key) {
  return `${userPrefix(key)}common`;
}

export async function currentKey() {
  const state = await caches.open(STATE_CACHE);
  const response = await state.match(STATE_URL);
  if (!response) return "";
  const data = await response.json();
  return data.key || "";
}

export async function setCurrentKey(key) {
  const state = await caches.open(STATE_CACHE);
  await state.put(STATE_URL, new Response(JSON.stringify({ key }), { headers: { "Content-Type": "application/json" } }));
}

// Every cache of this site: on logout, nothing of the officer stays on the phone.
export async function clearAll() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PREFIX)).map((name) => caches.delete(name)));
}

// Caches of anyone but `key` (a shared phone: the previous officer's saved courses go).
export async function clearOthers(key) {
  const mine = userPrefix(key);
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(PREFIX) && name !== STATE_CACHE && !name.startsWith(mine))
      .map((name) => caches.delete(name)),
  );
}
