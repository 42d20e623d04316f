// Makes BackCare an installable app whose started sessions carry on offline: registers the
// service worker (static/js/sw.js, served at /sw.js to look after every page), then tells it
// what this page loaded before it was in charge, and whether anyone is signed in.
const WORKER = "/sw.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(WORKER, { scope: "/" }).catch((error) => {
    console.warn("BackCare cannot work offline in this browser:", error);
  });
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve);
  });
  Promise.all([navigator.serviceWorker.ready, loaded]).then(([registration]) => {
    const worker = registration.active;
    // Signed-in pages are private: the worker forgets the session pages it kept.
    if (document.body.hasAttribute("data-signed-out")) worker.postMessage({ type: "signed-out" });
    const urls = performance.getEntriesByType("resource").map((entry) => entry.name);
    worker.postMessage({ type: "loaded", urls: [window.location.href, ...urls] });
  });
}
