import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, describe, test } from "node:test";
import vm from "node:vm";

// The service worker (static/js/sw.js) run against fakes of the browser's caches and network,
// with the settings backcare/web_app.py puts above it.
const ORIGIN = "https://backcare.test";
const SOURCE = readFileSync(new URL("../../static/js/sw.js", import.meta.url), "utf8");
const SETTINGS = {
  version: "release2",
  static: "/static/",
  offline: "/offline/",
  precache: ["/offline/", "/static/css/backcare.3f2a9c0b1d4e.css"],
};
const RUNNER = `${ORIGIN}/sessions/7/run/`;

const urlOf = (key) => new URL(typeof key === "string" ? key : key.url, ORIGIN).href;

const answer = (status, body = "", { headers = {}, ...extra } = {}) => ({
  status,
  type: "basic",
  redirected: false,
  body,
  headers: new Headers(headers),
  clone() {
    return { ...this };
  },
  text: async () => body,
  ...extra,
});

class FakeCache {
  constructor() {
    this.entries = new Map();
  }
  async put(key, response) {
    this.entries.set(urlOf(key), response);
  }
  async match(key) {
    return this.entries.get(urlOf(key));
  }
  async delete(key) {
    return this.entries.delete(urlOf(key));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
  async addAll(requests) {
    for (const request of requests) this.entries.set(request.url, await world.fetch(request));
  }
  urls() {
    return [...this.entries.keys()].map((url) => url.replace(ORIGIN, ""));
  }
}

class FakeCaches {
  constructor() {
    this.named = new Map();
  }
  async open(name) {
    if (!this.named.has(name)) this.named.set(name, new FakeCache());
    return this.named.get(name);
  }
  async keys() {
    return [...this.named.keys()];
  }
  async delete(name) {
    return this.named.delete(name);
  }
  async match(key) {
    for (const cache of this.named.values()) {
      const found = await cache.match(key);
      if (found) return found;
    }
    return undefined;
  }
}

/** The network: answers by address, or fails for everything when offline. */
let world;
function makeWorld() {
  const handlers = {};
  const state = {
    online: true,
    answers: new Map(),
    asked: [],
    timers: [],
    caches: new FakeCaches(),
    handlers,
    async fetch(request) {
      const url = urlOf(request);
      state.asked.push(url.replace(ORIGIN, ""));
      if (!state.online) throw new TypeError("Failed to fetch");
      if (state.answers.get(url) === "no answer") return new Promise(() => {});
      return state.answers.get(url) || answer(404, "not found");
    },
  };
  class Request {
    constructor(url, init = {}) {
      this.url = urlOf(url);
      this.method = init.method || "GET";
      this.mode = init.mode || "cors";
    }
  }
  const self = {
    location: { origin: ORIGIN },
    clients: { claim: async () => {} },
    skipWaiting: async () => {},
    addEventListener: (type, handler) => {
      handlers[type] = handler;
    },
  };
  const context = {
    self,
    caches: state.caches,
    fetch: (request) => state.fetch(request),
    Request,
    Response: { error: () => answer(0, "", { type: "error" }) },
    URL,
    Promise,
    setTimeout: (callback, milliseconds, ...values) => {
      state.timers.push({ milliseconds, ring: () => callback(...values) });
    },
  };
  vm.runInNewContext(`const BACKCARE = ${JSON.stringify(SETTINGS)};\n${SOURCE}`, context);
  return state;
}

/** Dispatches an event to the worker; resolves to its answer (or undefined) once settled. */
async function dispatch(type, fields) {
  const pending = [];
  let response;
  const event = {
    ...fields,
    respondWith: (promise) => {
      response = promise;
    },
    waitUntil: (promise) => pending.push(promise),
  };
  world.handlers[type](event);
  const answered = response === undefined ? undefined : await response;
  for (let i = 0; i < pending.length; i += 1) await pending[i];
  return answered;
}

const get = (path, mode = "cors") =>
  dispatch("fetch", { request: { url: `${ORIGIN}${path}`, method: "GET", mode } });
const visit = (path) => get(path, "navigate");
const kept = async (name) => (await world.caches.open(name)).urls();

beforeEach(async () => {
  world = makeWorld();
  world.answers.set(`${ORIGIN}/offline/`, answer(200, "You are offline"));
  world.answers.set(`${ORIGIN}/static/css/backcare.3f2a9c0b1d4e.css`, answer(200, "css"));
  await dispatch("install", {});
});

describe("installing and activating", () => {
  test("keeps the offline page and the core files of this release", async () => {
    assert.deepEqual(await kept("backcare-core-release2"), [
      "/offline/",
      "/static/css/backcare.3f2a9c0b1d4e.css",
    ]);
  });

  test("activating deletes the caches of other releases and nobody else's", async () => {
    await world.caches.open("backcare-core-release1");
    await world.caches.open("backcare-pages-v0");
    await world.caches.open("somebody-else");
    await world.caches.open("backcare-pages-v1");
    await dispatch("activate", {});
    assert.deepEqual((await world.caches.keys()).sort(), [
      "backcare-core-release2",
      "backcare-pages-v1",
      "somebody-else",
    ]);
  });
});

describe("pages", () => {
  test("come from the network while online, and are not kept", async () => {
    world.answers.set(`${ORIGIN}/goals/`, answer(200, "goals"));
    assert.equal((await visit("/goals/")).body, "goals");
    assert.deepEqual(await kept("backcare-pages-v1"), []);
  });

  test("offline, show the offline page", async () => {
    world.online = false;
    assert.equal((await visit("/goals/")).body, "You are offline");
  });

  test("other methods and other hosts pass by untouched", async () => {
    const post = { url: RUNNER, method: "POST", mode: "navigate" };
    assert.equal(await dispatch("fetch", { request: post }), undefined);
    const elsewhere = { url: "https://example.org/static/x.js", method: "GET", mode: "cors" };
    assert.equal(await dispatch("fetch", { request: elsewhere }), undefined);
    assert.equal(await get("/sessions/7/complete/3/"), undefined);
  });
});

describe("runner pages", () => {
  test("are kept when fetched, and the copy answers offline", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    await visit("/sessions/7/run/");
    world.online = false;
    assert.equal((await visit("/sessions/7/run/")).body, "step 1");
  });

  test("the newest answer replaces the kept copy", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    await visit("/sessions/7/run/");
    world.answers.set(RUNNER, answer(200, "step 2"));
    await visit("/sessions/7/run/");
    world.online = false;
    assert.equal((await visit("/sessions/7/run/")).body, "step 2");
  });

  test("a redirect or a 404 removes the kept copy", async () => {
    for (const refusal of [answer(0, "", { type: "opaqueredirect" }), answer(404)]) {
      world.answers.set(RUNNER, answer(200, "step 1"));
      await visit("/sessions/7/run/");
      world.answers.set(RUNNER, refusal);
      await visit("/sessions/7/run/");
      assert.deepEqual(await kept("backcare-pages-v1"), []);
    }
  });

  test("a server error answers with the kept copy", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    await visit("/sessions/7/run/");
    world.answers.set(RUNNER, answer(502, "bad gateway"));
    assert.equal((await visit("/sessions/7/run/")).body, "step 1");
  });

  test("a network that never answers gets a few seconds, then the kept copy answers", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    await visit("/sessions/7/run/");
    world.answers.set(RUNNER, "no answer");
    let response;
    const request = { url: RUNNER, method: "GET", mode: "navigate" };
    world.handlers.fetch({ request, respondWith: (promise) => (response = promise), waitUntil() {} });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(world.timers.length, 1);
    assert.ok(world.timers[0].milliseconds <= 10_000);
    world.timers[0].ring();
    assert.equal((await response).body, "step 1");
  });

  test("offline and never kept, show the offline page", async () => {
    world.online = false;
    assert.equal((await visit("/sessions/8/run/")).body, "You are offline");
  });

  test("are forgotten when a page says nobody is signed in", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    await visit("/sessions/7/run/");
    await dispatch("message", { data: { type: "signed-out" }, ports: [] });
    assert.deepEqual(await kept("backcare-pages-v1"), []);
  });

  test("the offline page is told each kept session's address and title", async () => {
    world.answers.set(RUNNER, answer(200, "<title>Cat &amp; camel · Desk break</title>"));
    await visit("/sessions/7/run/");
    let told;
    const port = { postMessage: (data) => (told = JSON.parse(JSON.stringify(data))) };
    await dispatch("message", { data: { type: "kept-runners" }, ports: [port] });
    assert.deepEqual(told, [{ url: RUNNER, title: "Cat &amp; camel · Desk break" }]);
  });
});

describe("a session's figures", () => {
  const FIGURES = `${ORIGIN}/sessions/7/figures/`;

  test("are kept when the runner fetches them, and answer offline", async () => {
    world.answers.set(FIGURES, answer(200, "<svg>bird-dog</svg>"));
    await get("/sessions/7/figures/");
    world.online = false;
    assert.equal((await get("/sessions/7/figures/")).body, "<svg>bird-dog</svg>");
  });

  test("are not listed as a session on the offline page", async () => {
    world.answers.set(RUNNER, answer(200, "<title>Bird-dog · Daily stretch</title>"));
    world.answers.set(FIGURES, answer(200, "<svg></svg>"));
    await visit("/sessions/7/run/");
    await get("/sessions/7/figures/");
    let told;
    const port = { postMessage: (data) => (told = JSON.parse(JSON.stringify(data))) };
    await dispatch("message", { data: { type: "kept-runners" }, ports: [port] });
    assert.deepEqual(told, [{ url: RUNNER, title: "Bird-dog · Daily stretch" }]);
  });

  test("are forgotten with the runner pages after signing out", async () => {
    world.answers.set(FIGURES, answer(200, "<svg></svg>"));
    await get("/sessions/7/figures/");
    await dispatch("message", { data: { type: "signed-out" }, ports: [] });
    assert.deepEqual(await kept("backcare-pages-v1"), []);
  });
});

describe("static files", () => {
  const HASHED = "/static/js/runner.0123456789ab.js";

  test("with a hashed name are kept and then never asked for again", async () => {
    world.answers.set(`${ORIGIN}${HASHED}`, answer(200, "runner"));
    await get(HASHED);
    world.asked = [];
    assert.equal((await get(HASHED)).body, "runner");
    assert.deepEqual(world.asked, []);
  });

  test("a new release's hashed name replaces the old one", async () => {
    const newer = "/static/js/runner.ba9876543210.js";
    world.answers.set(`${ORIGIN}${HASHED}`, answer(200, "old"));
    world.answers.set(`${ORIGIN}${newer}`, answer(200, "new"));
    world.answers.set(`${ORIGIN}/static/js/runner/view.0123456789ab.js`, answer(200, "view"));
    await get(HASHED);
    await get("/static/js/runner/view.0123456789ab.js");
    await get(newer);
    assert.deepEqual(await kept("backcare-static-v1"), [
      "/static/js/runner/view.0123456789ab.js",
      newer,
    ]);
  });

  test("with a plain name come from the network first, the copy offline", async () => {
    world.answers.set(`${ORIGIN}/static/js/runner.js`, answer(200, "first"));
    await get("/static/js/runner.js");
    world.answers.set(`${ORIGIN}/static/js/runner.js`, answer(200, "second"));
    assert.equal((await get("/static/js/runner.js")).body, "second");
    world.online = false;
    assert.equal((await get("/static/js/runner.js")).body, "second");
  });

  test("an answer its server marks private is not kept", async () => {
    const mine = answer(200, "mine", { headers: { "Cache-Control": "private, no-store" } });
    world.answers.set(`${ORIGIN}/static/js/runner.js`, mine);
    await get("/static/js/runner.js");
    assert.deepEqual(await kept("backcare-static-v1"), []);
  });

  test("partial answers (ranges) are not kept", async () => {
    world.answers.set(`${ORIGIN}/static/sounds/bell.ogg`, answer(206, "part"));
    await get("/static/sounds/bell.ogg");
    assert.deepEqual(await kept("backcare-static-v1"), []);
  });
});

describe("what a page loaded before the worker was there", () => {
  test("its runner page and static files are fetched again and kept; nothing else", async () => {
    world.answers.set(RUNNER, answer(200, "step 1"));
    world.answers.set(`${ORIGIN}/static/js/runner.js`, answer(200, "runner"));
    const urls = [
      RUNNER,
      `${ORIGIN}/static/js/runner.js`,
      `${ORIGIN}/goals/`,
      "https://example.org/static/x.js",
    ];
    await dispatch("message", { data: { type: "loaded", urls }, ports: [] });
    assert.deepEqual(await kept("backcare-pages-v1"), ["/sessions/7/run/"]);
    assert.deepEqual(await kept("backcare-static-v1"), ["/static/js/runner.js"]);
    assert.ok(!world.asked.includes("/goals/"));
  });

  test("what is kept already is not fetched again", async () => {
    const urls = [`${ORIGIN}/static/css/backcare.3f2a9c0b1d4e.css`];
    world.asked = [];
    await dispatch("message", { data: { type: "loaded", urls }, ports: [] });
    assert.deepEqual(world.asked, []);
  });
});
