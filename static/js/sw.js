// BackCare's service worker. backcare/web_app.py serves it at /sw.js (so it may look after
// every page) with this release's settings above this line, as `BACKCARE`: its version, the
// static files' address, the offline page and the files every page needs.
//
// - Pages: from the network, never kept. Offline, they show the offline page.
// - Runner pages (/sessions/<pk>/run/), and the figures the runner fetches once started
//   (/sessions/<pk>/figures/): from the network, and kept, so a session started here
//   reloads offline. They are the only pages kept: every signed-in page is private, so
//   these copies are dropped as soon as a page says nobody is signed in (after signing out).
// - Static files: kept as pages load them. Names with a content hash (production) never
//   change, so the kept copy is used first; other names (development) ask the network first.
// - Anything but GET, and other hosts, pass by untouched.
/* global BACKCARE */

const CORE = `backcare-core-${BACKCARE.version}`; // the offline page and the site's look
const STATIC = "backcare-static-v1"; // a hashed name replaces the copy of an older release
const PAGES = "backcare-pages-v1";
const RUNNER = /^\/sessions\/\d+\/run\/$/;
const FIGURES = /^\/sessions\/\d+\/figures\/$/;
const HASHED = /\.[0-9a-f]{12}(?=\.[^./]+$)/; // "runner.3f2a9c0b1d4e.js"
const LOOSELY = { ignoreVary: true };
const PATIENCE_MS = 8000; // how long a reload of a kept runner page waits for the network

self.addEventListener("install", (event) => {
  const fresh = BACKCARE.precache.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(
    caches
      .open(CORE)
      .then((cache) => cache.addAll(fresh))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const current = [CORE, STATIC, PAGES];
  const old = (name) => name.startsWith("backcare-") && !current.includes(name);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter(old).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(BACKCARE.static)) {
    event.respondWith(staticFile(event, url));
  } else if (request.mode === "navigate" && RUNNER.test(url.pathname)) {
    event.respondWith(runnerPage(event, url));
  } else if (FIGURES.test(url.pathname)) {
    event.respondWith(runnerPage(event, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

// Pages tell the worker when nobody is signed in, and what they loaded before it was there;
// the offline page asks which sessions can carry on.
self.addEventListener("message", (event) => {
  const { type, urls } = event.data || {};
  if (type === "signed-out") event.waitUntil(caches.delete(PAGES));
  if (type === "loaded") event.waitUntil(Promise.allSettled((urls || []).map(keepLoaded)));
  if (type === "kept-runners" && event.ports[0]) event.waitUntil(tellKept(event.ports[0]));
});

// Each kept runner page's address and title (as written in its HTML: the page decodes it).
async function tellKept(port) {
  const cache = await caches.open(PAGES);
  const kept = [];
  for (const request of await cache.keys()) {
    if (!RUNNER.test(new URL(request.url).pathname)) continue; // a session's figures
    const page = await cache.match(request);
    if (!page) continue; // forgotten meanwhile
    const html = await page.text();
    kept.push({ url: request.url, title: (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || "" });
  }
  port.postMessage(kept);
}

async function offlinePage() {
  return (await caches.match(BACKCARE.offline, LOOSELY)) || Response.error();
}

async function staticFile(event, url) {
  const kept = () => caches.match(event.request, LOOSELY);
  if (HASHED.test(url.pathname)) {
    const copy = await kept();
    if (copy) return copy;
  }
  try {
    const response = await fetch(event.request);
    if (shareable(response)) event.waitUntil(keepStatic(url, response.clone()));
    return response;
  } catch (error) {
    const copy = await kept();
    if (copy) return copy;
    throw error;
  }
}

// A whole answer (not a range) that its server lets anyone keep.
function shareable(response) {
  const caching = response.headers.get("Cache-Control") || "";
  return response.status === 200 && !/private|no-store/.test(caching);
}

async function keepStatic(url, response) {
  const cache = await caches.open(STATIC);
  const stem = url.pathname.replace(HASHED, "");
  for (const key of await cache.keys()) {
    const path = new URL(key.url).pathname;
    if (path !== url.pathname && path.replace(HASHED, "") === stem) await cache.delete(key);
  }
  await cache.put(url.origin + url.pathname, response);
}

function runnerPage(event, url) {
  const key = url.origin + url.pathname;
  const network = fetch(event.request);
  event.waitUntil(network.then((response) => keepRunner(key, response.clone())).catch(() => {}));
  return answerRunner(network, key);
}

async function answerRunner(network, key) {
  const copy = await (await caches.open(PAGES)).match(key, LOOSELY);
  if (!copy) return network.catch(offlinePage);
  // A weak signal can leave a reload waiting for ever: after a while the kept page answers.
  const late = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS, copy));
  const response = await Promise.race([network.catch(() => copy), late]);
  // A server error is the server's, not the session's: carry on with the kept page.
  return response.status >= 500 ? copy : response;
}

// A runner page is kept only as the runner: a redirect (the session has moved on to its
// summary), a 404 (another person's session) or a sign-in page removes the kept copy.
async function keepRunner(key, response) {
  const cache = await caches.open(PAGES);
  if (response.status === 200 && response.type === "basic" && !response.redirected) {
    await cache.put(key, response);
  } else if (response.status < 500) {
    await cache.delete(key);
  }
}

// What a page loaded before this worker looked after it, fetched once more to keep.
async function keepLoaded(href) {
  const url = new URL(href, self.location.origin);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(BACKCARE.static)) {
    if (await caches.match(url.origin + url.pathname, LOOSELY)) return;
    const response = await fetch(url.origin + url.pathname);
    if (shareable(response)) await keepStatic(url, response);
  } else if (RUNNER.test(url.pathname)) {
    const key = url.origin + url.pathname;
    if (await (await caches.open(PAGES)).match(key, LOOSELY)) return;
    await keepRunner(key, await fetch(key));
  }
}
