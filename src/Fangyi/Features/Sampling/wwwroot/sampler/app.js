// 采样员 app: log in, choose a round and a site, then box → tube → people, one scan each and no tap per person.
// Every scan goes to the phone's outbox first and is sent from there, in order; the screen counts as if the server
// had already said yes and corrects itself when it answers, so a sampler can finish a tube with no network at all.
//
// The pieces: session.js (the bearer token), work.js (the work as the screens see it), outbox.js and queue.js (the
// scans waiting for the server), screens.js (log-in, choice, scan), input.js (scanner, typing, camera, buttons),
// banner.js (refusals and notices), render.js (drawing). This file connects them and starts the app.
import * as work from './work.js';
import * as outbox from './outbox.js';
import { refuse, dismiss } from './banner.js';
import { render, drawCamera } from './render.js';
import { camera } from './input.js';
import { start, sessionEnded } from './screens.js';

drawCamera(() => camera.running, () => camera.reading, () => camera.readCodes());
work.listen({ changed: render });
outbox.listen({ changed: render, answered: work.answered, sessionEnded });
document.getElementById('banner').addEventListener('click', dismiss);

if ('serviceWorker' in navigator) {
  // Its scope covers /sampler itself, so the app opens with no network (see sampler-sw.js).
  navigator.serviceWorker.register('/sampler-sw.js', { scope: '/sampler' }).catch(() => { /* the app works without it, online */ });
}

outbox.load()
  .catch(() => refuse({ title: '手机存储不可用', detail: '离线扫码无法保存，请勿使用无痕模式' }))
  .finally(() => {
    // An expired token does not stop the work: scans still queue, and the first upload's 401 asks for a log-in.
    start();
    outbox.flush();
  });
