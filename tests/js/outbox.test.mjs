import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createOutbox, mergeItems, verdict } from "../../static/js/runner/outbox.js";

const KEY = "backcare:outbox:7";

/** localStorage as far as the outbox uses it; two tabs share one. */
class FakeStorage {
  constructor() {
    this.values = new Map();
  }
  getItem(key) {
    return this.values.has(key) ? this.values.get(key) : null;
  }
  setItem(key, value) {
    this.values.set(key, String(value));
  }
  stored() {
    return JSON.parse(this.getItem(KEY) ?? "[]").map((item) => item.body.key);
  }
}

const answer = (status, data = {}, extra = {}) => ({
  ok: status >= 200 && status < 300,
  status,
  type: "basic",
  statusText: "",
  json: async () => data,
  ...extra,
});
const OFFLINE = Symbol("offline");

/** fetch that answers from a script, one entry per request, and notes what was sent. */
function fakeFetch(script = []) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url, init, key: new URLSearchParams(init.body).get("key") });
    const next = script.length ? script.shift() : answer(201, { created: true });
    if (next === OFFLINE) throw new TypeError("Failed to fetch");
    return next;
  };
  return { fetch, sent, script };
}

function tab(storage, fetch, extra = {}) {
  const statuses = [];
  const answers = [];
  const outbox = createOutbox({
    storage,
    storageKey: KEY,
    fetch,
    csrfToken: () => "token-1",
    onStatus: (state) => statuses.push(state),
    onAnswer: (item, reply) => answers.push([item.body.key, reply]),
    ...extra,
  });
  return { outbox, statuses, answers };
}

const step = (key, url = `/sessions/7/steps/${key}/complete/`) => ({
  kind: "complete",
  url,
  body: { key, seconds_done: "30", skipped: "" },
});

describe("sending", () => {
  test("it posts each item as a form, asking for JSON, with the CSRF token", async () => {
    const { fetch, sent } = fakeFetch();
    const { outbox } = tab(new FakeStorage(), fetch);
    await outbox.send(step("a"));
    assert.equal(sent.length, 1);
    const { url, init } = sent[0];
    assert.equal(url, "/sessions/7/steps/a/complete/");
    assert.equal(init.method, "POST");
    assert.deepEqual(init.headers, { "X-CSRFToken": "token-1", Accept: "application/json" });
    assert.equal(init.credentials, "same-origin");
    assert.equal(init.redirect, "manual");
    assert.equal(init.body.toString(), "key=a&seconds_done=30&skipped=");
  });

  test("items go in the order they were made", async () => {
    const { fetch, sent } = fakeFetch();
    const { outbox } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    outbox.add(step("b"));
    outbox.add({ kind: "hurts", url: "/sessions/7/hurts/", body: { key: "c", level: "4" } });
    await outbox.flush();
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "b", "c"],
    );
    assert.deepEqual(outbox.pending(), []);
  });

  test("it reports saving while more wait, then saved", async () => {
    const { fetch } = fakeFetch();
    const { outbox, statuses } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    outbox.add(step("b"));
    await outbox.flush();
    assert.deepEqual(statuses, ["saving", "saved"]);
  });

  test("send gives the item's own answer", async () => {
    const { fetch } = fakeFetch([
      answer(201, { created: true, done: 1, total: 5 }),
      answer(200, { outcome: "slower", next: "/sessions/7/" }),
    ]);
    const { outbox } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    const reply = await outbox.send({ kind: "hurts", url: "/h/", body: { key: "r" } });
    assert.deepEqual(reply, {
      ok: true,
      status: 200,
      data: { outcome: "slower", next: "/sessions/7/" },
    });
  });

  test("two flushes at once send each item once", async () => {
    const { fetch, sent } = fakeFetch();
    const { outbox } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    outbox.add(step("b"));
    await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "b"],
    );
  });

  test("an item added while a flush is under way goes in that flush", async () => {
    const { fetch, sent } = fakeFetch();
    const { outbox } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    const flushing = outbox.flush();
    const reply = await outbox.send(step("b"));
    await flushing;
    assert.equal(reply.status, 201);
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "b"],
    );
  });
});

describe("when the server cannot take it", () => {
  test("offline: the item stays, and the retry carries the same key", async () => {
    const storage = new FakeStorage();
    const { fetch, sent } = fakeFetch([OFFLINE]);
    const { outbox, statuses } = tab(storage, fetch);
    const reply = await outbox.send(step("a"));
    assert.equal(reply, null);
    assert.equal(outbox.state, "offline");
    assert.deepEqual(statuses, ["offline"]);
    assert.deepEqual(storage.stored(), ["a"]);

    const result = await outbox.flush();
    assert.equal(result.stopped, null);
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "a"],
    );
    assert.deepEqual(storage.stored(), []);
    assert.deepEqual(statuses, ["offline", "saved"]);
  });

  test("it stops at the first item that fails, keeping those after it in order", async () => {
    const { fetch, sent } = fakeFetch([answer(201), answer(503)]);
    const { outbox, statuses } = tab(new FakeStorage(), fetch);
    for (const key of ["a", "b", "c"]) outbox.add(step(key));
    const result = await outbox.flush();
    assert.equal(result.stopped, "unavailable");
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "b"],
    );
    assert.deepEqual(
      outbox.pending().map((item) => item.body.key),
      ["b", "c"],
    );
    assert.deepEqual(statuses, ["saving", "unavailable"]);
  });

  for (const [name, reply] of [
    ["a redirect to the log-in page", answer(0, {}, { type: "opaqueredirect" })],
    ["a 403 (the CSRF token went with the sign-in)", answer(403)],
  ]) {
    test(`${name} means the sign-in is lost: keep the item`, async () => {
      const { fetch } = fakeFetch([reply]);
      const { outbox, statuses } = tab(new FakeStorage(), fetch);
      assert.equal(await outbox.send(step("a")), null);
      assert.equal(outbox.state, "login");
      assert.deepEqual(statuses, ["login"]);
      assert.equal(outbox.pending().length, 1);
    });
  }

  test("too many requests is a wait, not a refusal", () => {
    assert.equal(verdict(answer(429)), "unavailable");
    assert.equal(verdict(answer(500)), "unavailable");
    assert.equal(verdict(answer(400)), "answered");
    assert.equal(verdict(answer(404)), "answered");
  });

  test("a refusal is answered and dropped, and the queue goes on", async () => {
    const { fetch, sent } = fakeFetch([answer(400, { error: "Seconds cannot be negative." })]);
    const { outbox, answers, statuses } = tab(new FakeStorage(), fetch);
    outbox.add(step("a"));
    outbox.add(step("b"));
    await outbox.flush();
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "b"],
    );
    assert.deepEqual(answers[0], [
      "a",
      { ok: false, status: 400, data: { error: "Seconds cannot be negative." } },
    ]);
    assert.deepEqual(statuses, ["saved"]); // only accepted writes say "saved"
    assert.deepEqual(outbox.pending(), []);
  });

  test("a refusal that is not JSON still says something", async () => {
    const notJson = answer(404, null, {
      statusText: "Not Found",
      json: async () => {
        throw new SyntaxError("not JSON");
      },
    });
    const { fetch } = fakeFetch([notJson]);
    const { outbox } = tab(new FakeStorage(), fetch);
    const reply = await outbox.send(step("a"));
    assert.deepEqual(reply, { ok: false, status: 404, data: { error: "Not Found" } });
  });
});

describe("storage", () => {
  test("what waits is kept for the next page of the same session", async () => {
    const storage = new FakeStorage();
    const first = tab(storage, fakeFetch([OFFLINE]).fetch);
    await first.outbox.send(step("a"));
    const { fetch, sent } = fakeFetch();
    const reloaded = tab(storage, fetch);
    assert.deepEqual(
      reloaded.outbox.pending().map((item) => item.body.key),
      ["a"],
    );
    await reloaded.outbox.flush();
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a"],
    );
  });

  test("two tabs never overwrite each other's items", async () => {
    const storage = new FakeStorage();
    const offline = fakeFetch([OFFLINE, OFFLINE]);
    const one = tab(storage, offline.fetch);
    const two = tab(storage, offline.fetch); // open before "a" was queued
    await one.outbox.send(step("a"));
    await two.outbox.send(step("b"));
    assert.deepEqual(storage.stored(), ["b", "a"]);
    // Back online, one tab sends both.
    const { fetch, sent } = fakeFetch();
    const three = tab(storage, fetch);
    await three.outbox.flush();
    assert.deepEqual(sent.map((request) => request.key).sort(), ["a", "b"]);
  });

  test("a key one tab had acknowledged never comes back from another", async () => {
    const storage = new FakeStorage();
    const offline = tab(storage, fakeFetch([OFFLINE]).fetch);
    await offline.outbox.send(step("a"));
    const stale = tab(storage, fakeFetch([OFFLINE, OFFLINE]).fetch); // has "a" in memory
    const online = fakeFetch();
    const fresh = tab(storage, online.fetch);
    await fresh.outbox.flush(); // "a" acknowledged here
    assert.deepEqual(storage.stored(), []);

    await stale.outbox.send(step("b")); // its write must not bring "a" back
    assert.deepEqual(storage.stored(), ["b"]);
    assert.deepEqual(
      stale.outbox.pending().map((item) => item.body.key),
      ["b"],
    );
    await fresh.outbox.flush();
    assert.deepEqual(
      online.sent.map((request) => request.key),
      ["a", "b"],
    );
  });

  test("an item queued again on purpose is sent again", async () => {
    const { fetch, sent } = fakeFetch([answer(400, { error: "Choose a level." })]);
    const { outbox } = tab(new FakeStorage(), fetch);
    const report = { kind: "hurts", url: "/h/", body: { key: "r", level: "" } };
    assert.equal((await outbox.send(report)).status, 400);
    const again = await outbox.send({ ...report, body: { key: "r", level: "4" } });
    assert.equal(again.status, 201);
    assert.equal(sent.length, 2);
  });

  test("storage that refuses writes leaves the queue working in memory", async () => {
    const storage = new FakeStorage();
    storage.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    const { fetch, sent } = fakeFetch([OFFLINE]);
    const { outbox } = tab(storage, fetch);
    await outbox.send(step("a"));
    assert.equal(outbox.pending().length, 1);
    await outbox.flush();
    assert.deepEqual(
      sent.map((request) => request.key),
      ["a", "a"],
    );
  });

  test("no storage at all works too, and so does storage holding rubbish", async () => {
    const storage = new FakeStorage();
    storage.setItem(KEY, "{not json");
    for (const store of [null, storage]) {
      const { fetch, sent } = fakeFetch();
      const { outbox } = tab(store, fetch);
      await outbox.send(step("a"));
      assert.equal(sent.length, 1);
    }
  });

  test("merging keeps ours first and drops what was acknowledged", () => {
    const mine = [step("a"), step("b")];
    const theirs = [step("b"), step("c"), step("d")];
    const merged = mergeItems(mine, theirs, new Set(["d"]));
    assert.deepEqual(
      merged.map((item) => item.body.key),
      ["a", "b", "c"],
    );
  });
});
