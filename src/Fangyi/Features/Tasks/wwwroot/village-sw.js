// The village app's service worker: the app shell kept for opening with no network (sampler/shell-worker.js); the
// task list is cached by the page and marks wait in its outbox. At the site root so its scope can be /village.
'use strict';

importScripts('/sampler/shell-worker.js');

// Every ES module the page imports, however deep: one left out and the app does not start offline.
keepShell('fangyi-village-shell-', 'v1', [
  '/village',
  '/village/app.js',
  '/village/village.css',
  '/village/manifest.webmanifest',
  '/sampler/local.js',
  '/sampler/session.js',
  '/sampler/outbox.js',
  '/sampler/queue.js',
  '/sampler/banner.js',
  '/sampler/signin.js',
  '/sampler/sampler.css',
  '/sampler/icon.svg',
  '/sampler/icon-192.png',
  '/sampler/icon-512.png',
]);
