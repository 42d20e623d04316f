// The outbox: writes the server has not acknowledged yet, kept in storage (localStorage on
// the page) so a dropped connection, a reload or a closed tab loses nothing. Items are
// { kind, url, body } with an idempotency key in body.key: a retry sends the same key, so
// the server records each write once however often it arrives. Items go in the order they
// were made (a pain report never overtakes the steps done before it), and the first one the
// server cannot take yet stops the queue until the next flush.
//
// Storage and fetch are passed in, so the queue is tested with plain fakes.

// Acknowledged keys remembered per session, so a copy in another tab never brings one back.
const ACKNOWLEDGED_KEPT = 200;
// Answers that mean "not now" rather than "never": keep the item and try again later.
const RETRY_LATER = new Set([408, 429]);

const keyOf = (item) => item.body.key;

/**
 * Our items first, in our order, then another tab's that we do not have; anything already
 * acknowledged (by any tab) left out.
 */
export function mergeItems(mine, theirs, acknowledged) {
  const have = new Set(mine.map(keyOf));
  return [...mine, ...theirs.filter((item) => !have.has(keyOf(item)))].filter(
    (item) => !acknowledged.has(keyOf(item)),
  );
}

/** What an answer means for the queue: "login" lost, server "unavailable", or "answered". */
export function verdict(response) {
  if (response.type === "opaqueredirect" || response.status === 403) return "login";
  if (response.status >= 500 || RETRY_LATER.has(response.status)) return "unavailable";
  return "answered";
}

/** The answer as plain data: { ok, status, data }, with data.error on a refusal. */
export async function readAnswer(response) {
  let data;
  try {
    data = await response.json();
  } catch {
    data = {}; // 204, or a page that is not JSON
  }
  if (!response.ok && !data?.error) {
    data = { ...data, error: response.statusText || `HTTP ${response.status}` };
  }
  return { ok: response.ok, status: response.status, data };
}

/**
 * A queue persisted under `storageKey`. `onStatus(state)` hears "saving", "saved" (after an
 * accepted write, with more to send or none), "offline", "unavailable" or "login" (when the
 * queue stops); `onAnswer(item, answer)` hears every answer, accepted or refused, so each
 * kind of item can act on its own (a refused step says why; a pain report may end the run).
 */
export function createOutbox({
  storage,
  storageKey,
  fetch,
  csrfToken,
  onStatus = () => {},
  onAnswer = () => {},
}) {
  const acknowledgedKey = `${storageKey}:acknowledged`;
  const acknowledged = new Set(readList(storage, acknowledgedKey));
  let items = mergeItems([], readList(storage, storageKey), acknowledged);
  let draining = null;
  let state = "idle";

  function save() {
    // Another tab of the same session may have queued or acknowledged items meanwhile:
    // merge, never overwrite.
    for (const key of readList(storage, acknowledgedKey)) acknowledged.add(key);
    items = mergeItems(items, readList(storage, storageKey), acknowledged);
    writeList(storage, storageKey, items);
    writeList(storage, acknowledgedKey, [...acknowledged].slice(-ACKNOWLEDGED_KEPT));
  }

  function report(next) {
    state = next;
    onStatus(next);
  }

  function post(item) {
    return fetch(item.url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: new URLSearchParams(item.body),
      credentials: "same-origin",
      redirect: "manual",
    });
  }

  /** Sends one item: { stop: state } when the queue must wait, else { answer }. */
  async function deliver(item) {
    let response;
    try {
      response = await post(item);
    } catch {
      return { stop: "offline" };
    }
    const meaning = verdict(response);
    if (meaning !== "answered") return { stop: meaning };
    return { answer: await readAnswer(response) };
  }

  function acknowledge(item) {
    acknowledged.add(keyOf(item));
    items = items.filter((other) => keyOf(other) !== keyOf(item));
    save();
  }

  async function drain() {
    const answers = new Map();
    save(); // pick up what other tabs queued
    while (items.length) {
      const item = items[0];
      const result = await deliver(item);
      if (result.stop) {
        report(result.stop);
        return { answers, stopped: result.stop };
      }
      acknowledge(item);
      answers.set(keyOf(item), result.answer);
      onAnswer(item, result.answer);
      if (result.answer.ok) report(items.length ? "saving" : "saved");
    }
    return { answers, stopped: null };
  }

  /** Sends everything queued, in order; one flush at a time, later callers share it. */
  function flush() {
    draining ??= drain().finally(() => {
      draining = null;
    });
    return draining;
  }

  function add(item) {
    // Queued again on purpose (a refused form sent again, a step done again after Back):
    // its key is wanted once more, whatever was acknowledged before.
    forget(keyOf(item));
    items.push(item);
    save();
  }

  function forget(key) {
    acknowledged.delete(key);
    const stored = readList(storage, acknowledgedKey);
    if (stored.includes(key)) {
      writeList(
        storage,
        acknowledgedKey,
        stored.filter((other) => other !== key),
      );
    }
  }

  /** Queues `item` and flushes: its answer, or null while it waits on this device. */
  async function send(item) {
    add(item);
    let result = await flush();
    // A flush already under way may have finished just before our item came in.
    while (!result.stopped && !result.answers.has(keyOf(item)) && isPending(item)) {
      result = await flush();
    }
    return result.answers.get(keyOf(item)) ?? null;
  }

  const isPending = (item) => items.some((other) => keyOf(other) === keyOf(item));

  return {
    add,
    send,
    flush,
    pending: () => [...items],
    get state() {
      return state;
    },
  };
}

function readList(storage, key) {
  try {
    const value = JSON.parse(storage?.getItem(key) ?? "[]");
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function writeList(storage, key, list) {
  try {
    storage?.setItem(key, JSON.stringify(list));
  } catch {
    // Private mode or a full disk: the queue still lives in memory for this page.
  }
}
