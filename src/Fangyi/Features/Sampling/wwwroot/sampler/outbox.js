// The outbox: every scan waits here, on disk (queue.js), until the server has answered it, and is sent from here in
// the order it was made, through /api/v1/scans/batch (or the batch endpoint the page names on <html data-outbox>, as
// the village app's task marks do), whenever there is a network and a session.
import * as queue from './queue.js';
import { api, mayUpload } from './session.js';
import { problemText, refuse } from './banner.js';

const BATCH = 200;          // scans per upload; the server takes up to 500
const RETRY_MS = 3000;      // how often an outbox that could not be sent is tried again
const NOT_SAVED = { title: '服务器暂时无法保存，稍后自动重试' };
const ENDPOINT = document.documentElement.dataset.outbox || '/api/v1/scans/batch';

/** The outbox as last read, oldest first, including scans still on their way to disk. */
export let pending = [];
export let reachable = navigator.onLine;

// What app.js does when the outbox has news: draw again, apply the server's answers, ask for a log-in again.
const on = { changed() {}, answered() {}, sessionEnded() {} };
export const listen = (handlers) => Object.assign(on, handlers);

/** Reads back what a reload or a flat battery left in the outbox. */
export async function load() {
  pending = await queue.all();
}

/** Counts a scan as pending at once; resolves once it is on disk (then sends it), rejects if it cannot be stored. */
export function put(scan) {
  pending.push(scan);
  return queue.add(scan).then((seq) => {
    scan.seq = seq;
    flush();
  }, (error) => {
    pending = pending.filter((queued) => queued !== scan);
    throw error;
  });
}

let flushing = false;
let flushAgain = false;
let lastUploadError = '';

export async function flush() {
  if (flushing) {
    flushAgain = true;
    return;
  }
  if (!mayUpload()) return;
  flushing = true;
  flushAgain = false;
  try {
    for (;;) {
      const batch = (await queue.all()).slice(0, BATCH);
      if (batch.length === 0) break;
      if (!navigator.onLine) {
        setReachable(false);
        break;
      }
      let response;
      try {
        response = await api(ENDPOINT, 'POST', batch.map(({ seq, ...scan }) => scan));
      } catch {
        setReachable(false);  // the network is down: everything stays in the outbox
        break;
      }
      setReachable(true);
      if (response.status === 401) {
        on.sessionEnded();
        break;
      }
      if (!response.ok || !Array.isArray(response.data) || response.data.length !== batch.length) {
        const problem = response.data || NOT_SAVED;
        const text = problemText(problem);
        if (text !== lastUploadError) refuse(problem);
        lastUploadError = text;
        break;
      }
      lastUploadError = '';
      // The answers and the outbox change together, before anything else runs: a tube counted from the server's
      // count plus the outbox must never see an answered scan twice (it would look full too early).
      const done = new Set(batch.map((scan) => scan.clientId));
      on.answered(batch, response.data);
      pending = pending.filter((scan) => !done.has(scan.clientId));
      on.changed();
      await queue.remove(batch.map((scan) => scan.seq));
    }
  } catch (error) {
    refuse({ title: '上传出错，稍后自动重试', detail: String((error && error.message) || error) });
  } finally {
    flushing = false;
    on.changed();
    if (flushAgain) flush();
  }
}

function setReachable(value) {
  if (reachable !== value) {
    reachable = value;
    on.changed();
  }
}

window.addEventListener('online', () => { reachable = true; on.changed(); flush(); });
window.addEventListener('offline', () => { reachable = false; on.changed(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
setInterval(() => { if (pending.length) flush(); }, RETRY_MS);
