// The courier's and lab's app's service worker: it keeps the app shell so the app opens with no network, and
// never touches API calls (scans wait in the page's own outbox, see sampler/outbox.js). At the site root so its
// scope can be /courier.
'use strict';

const CACHE = 'fangyi-courier-shell-v2';
// Every ES module the page imports, however deep: one left out and the app does not start offline.
const SHELL = [
  '/courier',
  '/courier/app.js',
  '/courier/chain.js',
  '/courier/courier.css',
  '/courier/manifest.webmanifest',
  '/sampler/local.js',
  '/sampler/session.js',
  '/sampler/outbox.js',
  '/sampler/queue.js',
  '/sampler/banner.js',
  '/sampler/idnumber.js',
  '/js/id-number.js',
  '/sampler/sampler.css',
  '/sampler/icon.svg',
  '/sampler/icon-192.png',
  '/sampler/icon-512.png',
  '/js/camera-scan.js',
  '/js/image-clean.js',
  '/lib/zxing/zxing-browser.min.js',
];
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith('fangyi-courier-shell-') && key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname === '/courier/' ? '/courier' : url.pathname;
  if (!SHELL.includes(path)) return;
  event.respondWith(shell(path));
});

// Network first, so a new release is used as soon as it is out; the kept copy when the network is down or slow.
async function shell(path) {
  const cache = await caches.open(CACHE);
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
