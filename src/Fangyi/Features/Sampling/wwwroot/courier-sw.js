// The courier's and lab's app's service worker: the app shell kept for opening with no network
// (sampler/shell-worker.js); scans wait in the page's own outbox. At the site root so its scope can be /courier.
'use strict';

importScripts('/sampler/shell-worker.js');

// Every ES module the page imports, however deep: one left out and the app does not start offline.
keepShell('fangyi-courier-shell-', 'v3', [
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
  '/sampler/signin.js',
  '/sampler/idnumber.js',
  '/js/id-number.js',
  '/sampler/sampler.css',
  '/sampler/icon.svg',
  '/sampler/icon-192.png',
  '/sampler/icon-512.png',
  '/js/camera-scan.js',
  '/js/image-clean.js',
  '/lib/zxing/zxing-browser.min.js',
]);
