// The phone's outbox of scans, in IndexedDB. Every scan is written here before it is sent and leaves only once the
// server has answered it, so a dead network, a reload or a flat battery loses nothing. Keys grow, so reading the
// store back gives the scans in the order they were made, which is the order the server must apply them in.

import { APP } from './local.js';

const DB_NAME = 'fangyi-' + APP;
const STORE = 'scans';
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

// One transaction; resolves with what `work` returned once the transaction has committed (not merely when the
// request succeeded), so "queued" means on disk.
async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode, { durability: 'strict' });
    let result;
    const request = work(tx.objectStore(STORE));
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

/** Stores a scan; resolves with its sequence number once it is durable. */
export function add(scan) {
  return run('readwrite', (store) => store.add(scan));
}

/** Every queued scan, oldest first. */
export function all() {
  return run('readonly', (store) => store.getAll());
}

export function count() {
  return run('readonly', (store) => store.count());
}

/** Forgets answered scans by sequence number, all in one transaction. */
export function remove(seqs) {
  return run('readwrite', (store) => {
    seqs.forEach((seq) => store.delete(seq));
    return null;
  });
}

