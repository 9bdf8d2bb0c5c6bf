// What the phone apps' service workers share (the courier's and lab's, the village worker's): keep the app shell so the
// app opens with no network, and never touch API calls (the pages queue their own writes, see outbox.js). A worker
// calls keepShell('fangyi-<app>-shell-', version, paths) after importScripts('/sampler/shell-worker.js').
'use strict';

const NETWORK_WAIT_MS = 4000;

function keepShell(prefix, version, shell) {
  const cache = prefix + version;
  const root = shell[0];

  self.addEventListener('install', (event) => {
    event.waitUntil(caches.open(cache).then((c) => c.addAll(shell)).then(() => self.skipWaiting()));
  });

  self.addEventListener('activate', (event) => {
    event.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(prefix) && key !== cache).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()));
  });

  self.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
    const path = url.pathname === root + '/' ? root : url.pathname;
    if (!shell.includes(path)) return;
    event.respondWith(answer(cache, path));
  });
}

// Network first, so a new release is used as soon as it is out; the kept copy when the network is down or slow.
async function answer(name, path) {
  const cache = await caches.open(name);
  const network = fetch(path, { cache: 'no-cache' }).then((response) => {
    if (response.ok) cache.put(path, response.clone());
    return response;
  });
  network.catch(() => { /* answered from the cache below */ });
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const response = await Promise.race([network, slow]);
    if (response) return response;
  } catch {
    // offline: fall through to the kept copy
  }
  return (await cache.match(path)) || network;
}
