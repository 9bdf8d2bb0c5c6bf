// What the app keeps on the phone outside the outbox: small JSON values in localStorage, and ids made here.
// The sampler's modules also serve its sibling apps (the courier's and the lab's, /courier): each page names
// itself on <html data-app>, and keeps its own session, work and outbox, so one phone can hold both apps.

export const APP = document.documentElement.dataset.app || 'sampler';

export const KEYS = {
  session: `fangyi.${APP}.session`,
  work: `fangyi.${APP}.work`,
  lists: `fangyi.${APP}.lists`,
  device: 'fangyi.sampler.device',  // one phone, one device id, whichever app it runs
  camera: `fangyi.${APP}.camera`,
};

export const read = (key) => { try { return JSON.parse(localStorage.getItem(key)); } catch { return null; } };
export const write = (key, value) => (value == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)));

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; a phone on plain http inside the LAN still needs unique ids.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function deviceId() {
  let id = read(KEYS.device);
  if (!id) write(KEYS.device, (id = newId()));
  return id;
}
