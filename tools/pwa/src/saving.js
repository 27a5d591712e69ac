// "Simpan untuk offline" (course page) and "Tersimpan offline" (the saved-courses page).
//
// The page asks the server what to save (courses/offline.py: URLs, sizes, a version per
// module), shows the size first, and saves on the officer's request into Cache Storage:
// the course's own cache `pimpasa-<key>-course-<id>` (course page, lessons, images,
// documents, and a META_URL entry describing them) and `pimpasa-<key>-common` (My
// learning, My certificates, these pages' stylesheet and script). Saving again fetches
// only the modules whose version changed. A module is recorded in the meta entry only
// when all its files were saved.
import { META_URL, commonCacheName, courseCacheName, userPrefix } from "./keys.js";

const SAVE_HEADER = "X-Pimpasa-Offline-Save"; // a save is not a reading: the server records no visit
const PARALLEL = 3;

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

function language() {
  return document.documentElement.lang || "id";
}

export function formatSize(bytes) {
  const units = [["MB", 1024 * 1024], ["KB", 1024]];
  for (const [unit, factor] of units) {
    if (bytes >= factor) {
      const value = new Intl.NumberFormat(language(), { maximumFractionDigits: 1 }).format(bytes / factor);
      return `${value} ${unit}`;
    }
  }
  return `${bytes} B`;
}

function formatDate(iso) {
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

async function readMeta(cache) {
  const response = await cache.match(META_URL);
  return response ? response.json() : null;
}

async function writeMeta(cache, meta) {
  await cache.put(META_URL, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
}

// One URL into one cache; its size in bytes. Stored as a plain 200 response with its
// content type: the page's Cache-Control (private, no-store) speaks to HTTP caches, and
// this copy lives only in the officer's own Cache Storage, deleted on logout.
async function saveUrl(cache, url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { [SAVE_HEADER]: "1" } });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || (response.redirected && type.startsWith("text/html"))) {
    throw new Error(`${url}: ${response.status}`);
  }
  const body = await response.blob();
  await cache.put(url, new Response(body, { status: 200, headers: { "Content-Type": type } }));
  return body.size;
}

async function runAll(tasks, onDone) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await tasks[index]() };
      } catch (error) {
        results[index] = { ok: false, error };
      }
      onDone();
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, tasks.length) }, worker));
  return results;
}

// Saves (or updates) a course; returns {meta, fetchedModules, failed}.
export async function saveCourse(key, bundle, onProgress) {
  const cache = await caches.open(courseCacheName(key, bundle.course.id));
  const common = await caches.open(commonCacheName(key));
  const old = (await readMeta(cache)) || { modules: {} };
  const meta = { course: bundle.course, savedAt: new Date().toISOString(), modules: {}, pages: {}, size: 0 };
  const tasks = [];
  const pageTargets = bundle.pages.map((item) => ({ url: item.url, cache: item.url === bundle.course.url ? cache : common }));
  pageTargets.forEach((target) => tasks.push(() => saveUrl(target.cache, target.url)));
  const changed = [];
  for (const module of bundle.modules) {
    const before = old.modules[module.id];
    if (before && before.version === module.version) {
      meta.modules[module.id] = before;
    } else {
      changed.push(module);
      module.files.forEach((file) => tasks.push(() => saveUrl(cache, file.url)));
    }
  }
  let done = 0;
  onProgress(0, tasks.length);
  const results = await runAll(tasks, () => onProgress(++done, tasks.length));
  let failed = 0;
  let cursor = 0;
  for (const target of pageTargets) {
    const result = results[cursor++];
    if (result.ok) meta.pages[target.url] = result.value;
    else failed += 1;
  }
  for (const module of changed) {
    const own = results.slice(cursor, cursor + module.files.length);
    cursor += module.files.length;
    if (own.every((result) => result.ok)) {
      const size = own.reduce((sum, result) => sum + result.value, 0);
      meta.modules[module.id] = { version: module.version, title: module.title, urls: module.files.map((file) => file.url), size };
    } else {
      failed += 1;
      if (old.modules[module.id]) meta.modules[module.id] = old.modules[module.id];
    }
  }
  // Files of modules that changed or went: what the new versions no longer use is deleted.
  const kept = new Set([bundle.course.url]);
  Object.values(meta.modules).forEach((entry) => entry.urls.forEach((url) => kept.add(url)));
  for (const entry of Object.values(old.modules)) {
    for (const url of entry.urls) if (!kept.has(url)) await cache.delete(url);
  }
  // The course's own size: its page and modules (My learning and the like are shared by all saved courses).
  meta.size = (meta.pages[bundle.course.url] || 0)
    + Object.values(meta.modules).reduce((sum, entry) => sum + entry.size, 0);
  await writeMeta(cache, meta);
  return { meta, fetchedModules: changed.length, failed };
}

export async function savedCourses(key) {
  const prefix = `${userPrefix(key)}course-`;
  const names = (await caches.keys()).filter((name) => name.startsWith(prefix));
  const courses = [];
  for (const name of names) {
    const meta = await readMeta(await caches.open(name));
    if (meta) courses.push({ name, meta });
  }
  return courses.sort((a, b) => a.meta.course.title.localeCompare(b.meta.course.title));
}

export async function removeCourse(key, name) {
  await caches.delete(name);
  if ((await savedCourses(key)).length === 0) await caches.delete(commonCacheName(key));
}

function initCoursePanel(key, panel) {
  const status = panel.querySelector("[data-offline-status]");
  const button = panel.querySelector("[data-offline-save]");
  const notes = panel.querySelector("[data-offline-notes]");
  const text = panel.dataset;
  let bundle = null;

  async function showSaved() {
    const cache = await caches.open(courseCacheName(key, text.courseId));
    const meta = await readMeta(cache);
    const saved = panel.querySelector("[data-offline-saved-at]");
    if (meta) {
      saved.textContent = fill(text.msgSaved, { date: formatDate(meta.savedAt), size: formatSize(meta.size) });
      saved.hidden = false;
      button.textContent = text.msgUpdate;
    }
    return meta;
  }

  async function load() {
    panel.hidden = false;
    await showSaved();
    if (!navigator.onLine) {
      status.textContent = text.msgNeedsConnection;
      button.disabled = true;
      return;
    }
    try {
      const response = await fetch(text.bundleUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      bundle = await response.json();
    } catch (error) {
      status.textContent = text.msgNeedsConnection;
      button.disabled = true;
      return;
    }
    status.textContent = fill(text.msgSize, { size: formatSize(bundle.total_size), modules: bundle.modules.length });
    const lines = [];
    if (bundle.locked_modules) lines.push(fill(text.msgLocked, { count: bundle.locked_modules }));
    const skipped = bundle.modules.reduce((sum, module) => sum + module.skipped_documents.length, 0);
    if (skipped) lines.push(fill(text.msgSkipped, { count: skipped, limit: formatSize(bundle.document_limit) }));
    notes.textContent = lines.join(" ");
    notes.hidden = lines.length === 0;
    button.disabled = false;
  }

  button.addEventListener("click", async () => {
    if (!bundle) return;
    button.disabled = true;
    const result = await saveCourse(key, bundle, (done, total) => {
      status.textContent = fill(text.msgProgress, { done, total });
    });
    status.textContent = result.failed
      ? text.msgFailed
      : fill(text.msgDone, { size: formatSize(result.meta.size), modules: result.fetchedModules });
    await showSaved();
    button.disabled = false;
  });

  load();
}

function initSavedList(key, container) {
  const list = container.querySelector("[data-offline-list]");
  const empty = container.querySelector("[data-offline-empty]");
  const total = container.querySelector("[data-offline-total]");
  const text = container.dataset;

  async function render() {
    const courses = await savedCourses(key);
    list.replaceChildren();
    let sum = 0;
    for (const { name, meta } of courses) {
      sum += meta.size;
      const item = document.createElement("li");
      item.className = "card";
      const link = document.createElement("a");
      link.href = meta.course.url;
      link.textContent = meta.course.title;
      const facts = document.createElement("span");
      facts.className = "meta";
      facts.textContent = fill(text.msgItem, { size: formatSize(meta.size), date: formatDate(meta.savedAt) });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button-secondary";
      remove.textContent = text.msgRemove;
      remove.setAttribute("aria-label", fill(text.msgRemoveLabel, { title: meta.course.title }));
      remove.addEventListener("click", async () => {
        await removeCourse(key, name);
        await render();
        (courses.length > 1 ? total : empty).focus();
      });
      item.append(link, facts, remove);
      list.append(item);
    }
    empty.hidden = courses.length > 0;
    total.textContent = courses.length ? fill(text.msgTotal, { size: formatSize(sum) }) : "";
    total.hidden = courses.length === 0;
  }

  render();
}

export function initSaving(key) {
  if (!key || !("caches" in window)) return;
  const panel = document.querySelector("[data-offline-course]");
  if (panel) initCoursePanel(key, panel);
  const saved = document.querySelector("[data-offline-saved]");
  if (saved) initSavedList(key, saved);
}

