// The sampler app's service worker. It keeps the app shell so the app opens with no network at all. It never
// touches API calls: scans are queued by the page itself in IndexedDB (sampler/queue.js) and sent when it can.
// It lives at the site root so its scope can be /sampler, which covers the page /sampler as well as /sampler/….
// The keeping itself is the phone apps' shared sampler/shell-worker.js.
'use strict';

importScripts('/sampler/shell-worker.js');

// Every ES module the page imports, however deep: one left out and the app does not start offline.
keepShell('fangyi-sampler-shell-', 'v5', [
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
]);
