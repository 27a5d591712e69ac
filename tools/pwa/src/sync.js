// What the officer does offline, kept on the phone and sent when the connection returns
// (README "Offline"; the server side: courses/offline_sync.py).
//
// IndexedDB "pimpasa-sync" (via idb) holds, per officer (the page's offline key):
// - "progress": "Tandai selesai" pressed offline, in the order pressed (an auto-increment
//   key). Sent again one by one, oldest first, as a JSON POST to the module's `selesai/`
//   route with the CSRF cookie in X-CSRFToken; a network failure stops the run and keeps
//   that item and the ones after it. Completing twice is harmless on the server.
// - "answers": the choices ticked in an open quiz attempt, keyed by the attempt id, saved at
//   every tick. Only the officer's own choice ids: never a question, a choice text or what is
//   right (the quiz page has no answer key and the worker never caches it). "Kumpulkan
//   jawaban" pressed offline marks them pending; back online they are sent as the form would
//   have sent them, and the server grades the attempt once, under its deadline rules.
// Logging out deletes this database (Clear-Site-Data "storage") with the saved pages.
import { openDB } from "idb";

const SYNC_HEADER = "X-Pimpasa-Sync";
let dbPromise;
let running = false;

function db() {
  if (!dbPromise) {
    dbPromise = openDB("pimpasa-sync", 1, {
      upgrade(database) {
        database.createObjectStore("progress", { keyPath: "seq", autoIncrement: true });
        database.createObjectStore("answers", { keyPath: "attempt" });
      },
    });
  }
  return dbPromise;
}

function csrfCookie() {
  const found = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

function formToken(form) {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

async function mine(store, key) {
  return (await (await db()).getAll(store)).filter((item) => item.owner === key);
}

async function showStatus(key) {
  const status = document.getElementById("sync-status");
  if (!status) return;
  const modules = (await mine("progress", key)).length;
  const quizzes = (await mine("answers", key)).filter((item) => item.pending).length;
  const parts = [];
  if (modules) parts.push(fill(status.dataset.modules, { count: modules }));
  if (quizzes) parts.push(fill(status.dataset.quizzes, { count: quizzes }));
  status.textContent = parts.join(" ");
  status.hidden = parts.length === 0;
}

// The module page: "Tandai selesai" offline is queued, and the page says so (also when the
// saved copy of the lesson is opened again before the queue is sent).
async function initCompletion(key) {
  const form = document.querySelector("form[data-offline-complete]");
  if (!form) return;
  const module = Number(form.dataset.offlineComplete);
  const queuedNote = document.querySelector("[data-offline-queued]");
  const markQueued = () => {
    form.hidden = true;
    if (queuedNote) queuedNote.hidden = false;
  };
  if ((await mine("progress", key)).some((item) => item.module === module)) markQueued();
  form.addEventListener("submit", async (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    const database = await db();
    const queued = (await mine("progress", key)).some((item) => item.module === module);
    if (!queued) {
      await database.add("progress", { owner: key, module, url: form.action, token: formToken(form), at: Date.now() });
    }
    markQueued();
    if (queuedNote) queuedNote.focus();
    await showStatus(key);
  });
}

function quizFields(form) {
  return [...new FormData(form).entries()].filter(([name]) => name !== "csrfmiddlewaretoken").map(([name, value]) => [name, String(value)]);
}

// The quiz page: every tick is kept on the phone under the attempt id; "Kumpulkan jawaban"
// offline keeps them pending until the connection returns.
async function initQuiz(key) {
  const form = document.querySelector("form[data-offline-attempt]");
  if (!form) return;
  const attempt = Number(form.dataset.offlineAttempt);
  const note = document.querySelector("[data-answers-kept]");
  const database = await db();
  const kept = await database.get("answers", attempt);
  if (kept && kept.owner === key) {
    const names = new Set(kept.fields.map(([name]) => name));
    for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
      if (names.has(input.name)) input.checked = kept.fields.some(([name, value]) => name === input.name && value === input.value);
    }
  }
  const save = async (pending) => {
    const previous = await database.get("answers", attempt);
    await database.put("answers", {
      attempt,
      owner: key,
      url: form.action || window.location.href,
      token: formToken(form),
      fields: quizFields(form),
      pending: pending || Boolean(previous && previous.pending),
    });
  };
  form.addEventListener("change", () => save(false));
  form.addEventListener("submit", async (event) => {
    if (navigator.onLine) {
      await database.delete("answers", attempt).catch(() => {});
      return;
    }
    event.preventDefault();
    await save(true);
    if (note) {
      note.hidden = false;
      note.focus();
    }
    await showStatus(key);
  });
}

async function replayProgress(key) {
  const database = await db();
  for (const item of await mine("progress", key)) {
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { [SYNC_HEADER]: "1", "X-CSRFToken": csrfCookie() || item.token, Accept: "application/json" },
      });
    } catch (error) {
      return false; // still no connection: keep this one and the ones after it, in order
    }
    const data = (response.headers.get("Content-Type") || "").startsWith("application/json") ? await response.json() : null;
    if (data && (data.ok || !data.retry)) {
      await database.delete("progress", item.seq); // recorded, or refused for good (the server said why)
    } else {
      return false; // logged out, CSRF refused, server error: try again later, in order
    }
  }
  return true;
}

// Kept answers marked pending are sent as the quiz form (the phone's clock plays no part: the
// server grades them once, or expires the attempt when they arrive past its deadline and grace).
async function replayAnswers(key) {
  const database = await db();
  const onPage = document.querySelector("form[data-offline-attempt]");
  const here = onPage ? Number(onPage.dataset.offlineAttempt) : null;
  for (const item of await mine("answers", key)) {
    if (!item.pending) continue;
    const body = new URLSearchParams([["csrfmiddlewaretoken", csrfCookie() || item.token], ...item.fields]);
    let response;
    try {
      response = await fetch(item.url, { method: "POST", credentials: "same-origin", body, headers: { [SYNC_HEADER]: "1" } });
    } catch (error) {
      return false; // sent again later: a repeat of a graded attempt only leads to its result
    }
    if (!response.ok) return false;
    if (new URL(response.url).pathname !== new URL(item.url, window.location.href).pathname) {
      await database.delete("answers", item.attempt); // graded (or expired, or graded before): its result
      if (item.attempt === here) window.location.assign(response.url);
    } else {
      await database.put("answers", { ...item, pending: false }); // an answer missing: the quiz form says which
      if (item.attempt === here) window.location.reload();
    }
  }
  return true;
}

// A weak signal: what could not be sent is tried again, less and less often, while online.
let retryDelay = 2000;

async function replay(key) {
  if (running || !navigator.onLine) return;
  running = true;
  let done = false;
  try {
    done = (await replayProgress(key)) && (await replayAnswers(key));
  } finally {
    running = false;
    await showStatus(key);
  }
  if (done) {
    retryDelay = 2000;
  } else {
    window.setTimeout(() => replay(key), retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }
}

export async function initSync(key) {
  if (!key || !("indexedDB" in window)) return;
  try {
    await db();
  } catch (error) {
    return; // no IndexedDB (a private window): the pages work online as before
  }
  await initCompletion(key);
  await initQuiz(key);
  await showStatus(key);
  window.addEventListener("online", () => replay(key));
  document.documentElement.dataset.syncReady = "1"; // the forms are watched (the browser tests wait for it)
  await replay(key);
}
