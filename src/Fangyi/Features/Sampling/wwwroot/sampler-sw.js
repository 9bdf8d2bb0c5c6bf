// The sampler app's service worker. It keeps the app shell so the app opens with no network at all. It never
// touches API calls: scans are queued by the page itself in IndexedDB (sampler/queue.js) and sent when it can.
// It lives at the site root so its scope can be /sampler, which covers the page /sampler as well as /sampler/….
'use strict';

const CACHE = 'fangyi-sampler-shell-v4';
// Every ES module the page imports, however deep: one left out and the app does not start offline.
const SHELL = [
  '/sampler',
  '/sampler/app.js',
  '/sampler/local.js',
  '/sampler/session.js',
  '/sampler/work.js',
  '/sampler/outbox.js',
  '/sampler/queue.js',
  '/sampler/banner.js',
  '/sampler/render.js',
  '/sampler/screens.js',
  '/sampler/input.js',
  '/sampler/idnumber.js',
  '/js/id-number.js',
  '/sampler/sampler.css',
  '/sampler/manifest.webmanifest',
  '/sampler/icon.svg',
  '/sampler/icon-192.png',
  '/sampler/icon-512.png',
  '/js/camera-scan.js',
  '/js/image-clean.js',
  '/js/id-card-ocr.js',
  '/lib/tesseract/tesseract.min.js',
  '/lib/tesseract/worker.min.js',
  '/lib/tesseract/tesseract-core-simd-lstm.wasm.js',
  '/lib/tesseract/eng.traineddata.gz',
  '/lib/zxing/zxing-browser.min.js',
];
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith('fangyi-sampler-shell-') && key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname === '/sampler/' ? '/sampler' : url.pathname;
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
