// The offline page: links to the sessions this device kept, named as each page names itself,
// so a person who lost the tab can still carry on. Asks the service worker which it kept.
const section = document.getElementById("kept-sessions");
const worker = navigator.serviceWorker && navigator.serviceWorker.controller;

function keptRunners() {
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    channel.port1.onmessage = (event) => resolve(event.data);
  });
  worker.postMessage({ type: "kept-runners" }, [channel.port2]);
  return answer;
}

// A title as the page's HTML writes it ("Cat &amp; camel"), read as text.
function text(html) {
  return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
}

async function listKept() {
  const list = section.querySelector("ul");
  for (const { url, title } of await keptRunners()) {
    const link = document.createElement("a");
    link.href = url;
    link.textContent = text(title).replace(/ · BackCare$/, "") || url;
    const item = document.createElement("li");
    item.append(link);
    list.append(item);
  }
  section.hidden = list.children.length === 0;
}

if (section && worker) listKept();
