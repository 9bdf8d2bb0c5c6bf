// The sampler's place in the work as the screens see it: a round and a site, then box → tube → people. Each scan
// changes it at once, as if the server had already said yes (so a tube can be finished with no network at all),
// goes to the outbox, and is corrected when the server answers.
import { KEYS, read, write, newId } from './local.js';
import * as FangyiId from './idnumber.js';
import * as outbox from './outbox.js';
import { notice, refuse } from './banner.js';
import { api } from './session.js';

// { round, site, mode, box, tube, people, lastBox, lastTube, sealed }, read by the screens as `state`. Only masked
// numbers are kept here; full numbers live in the outbox until the server has them.
let work = read(KEYS.work) || {};
export { work as state };
const inTube = new Map();  // client id → person, for the current tube, to refuse a double scan at once
// A number the registry did not know, waiting for its name and phone: in memory only, never in localStorage.
let stranger = null;  // { person, tube, label }
export const waitingStranger = () => (stranger && work.tube && work.tube.code === stranger.tube ? stranger : null);
export function dropStranger() {
  stranger = null;
  on.changed();
}

const on = { changed() {} };
export const listen = (handlers) => Object.assign(on, handlers);

const save = () => write(KEYS.work, work);

export const step = () => (!work.box ? 'box' : !work.tube ? 'tube' : 'people');

export function choose(round, site) {
  work = { round: { id: round.id, name: round.name, ratioLow: round.ratioLow }, site: { id: site.id, name: site.name }, mode: round.ratioLow || 10 };
  save();
}

export function setMode(capacity) {
  work.mode = capacity;
  save();
}

export function forget() {
  work = {};
  save();
}

/** People in the current tube as the screen should count them: what the server confirmed, plus the outbox. */
export function tubeCount() {
  const tube = work.tube;
  if (!tube) return 0;
  let count = tube.confirmed;
  for (const scan of outbox.pending) {
    if (scan.tube !== tube.code) continue;
    if (scan.action === 'sample.add') count++;
    else if (scan.action === 'sample.remove_last') count = Math.max(0, count - 1);
  }
  return count;
}

/**
 * Applies a scan to the screen at once (so the next step's input has the focus before a scanner types on), writes
 * it to the outbox, then tries to send it. IndexedDB runs the writes in the order they were asked for, which is
 * the order the server gets them in. Should the phone fail to store it, the screen goes back to before the scan.
 */
function enqueue(fields, applyLocally) {
  const scan = { clientId: newId(), at: Date.now(), ...fields };
  const before = JSON.stringify(work);
  applyLocally(scan);
  const stored = outbox.put(scan);
  save();
  on.changed();
  stored.catch((error) => {
    work = JSON.parse(before);
    inTube.delete(scan.clientId);
    save();
    on.changed();
    refuse({ title: '无法保存到手机存储，请重试', detail: String((error && error.message) || error) });
  });
}

export function openBox(text) {
  const code = FangyiId.sampleCode(text, 'B');
  if (!code) return refuse({ title: '转运箱码无效，请重新扫描', detail: text.slice(0, 20) });
  enqueue({ action: 'box.open', box: code, roundId: work.round.id, siteId: work.site.id }, () => {
    work.box = { code, tubes: 0, people: 0 };
    work.tube = null;
    work.people = [];
    work.sealed = null;
    inTube.clear();
  });
}

export function openTube(text) {
  const code = FangyiId.sampleCode(text, 'T');
  if (!code) return refuse({ title: '试管码无效，请重新扫描', detail: text.slice(0, 20) });
  const capacity = work.mode;
  enqueue({ action: 'tube.open', box: work.box.code, tube: code, capacity }, () => {
    work.tube = { code, capacity, confirmed: 0 };
    work.people = [];
    inTube.clear();
  });
}

/** Adds an ID number or a citizen code to the tube; false when the number itself is wrong (a typo to fix). */
export function addPerson(text) {
  let person = text.trim();
  if (!person.startsWith('FY1:')) {
    person = FangyiId.normalize(person);
    const error = FangyiId.validate(person);
    if (error) {
      refuse({ title: '证件号码或市民码无效', detail: FangyiId.MESSAGES[error] });
      return false;
    }
  }
  const tube = work.tube;
  if (tubeCount() >= tube.capacity) return refuse({ title: '已满，请封管', detail: `试管 ${tube.code} 已有 ${tube.capacity} 人` });
  if ([...inTube.values()].includes(person)) return refuse({ title: '此人已在本试管中' });
  enqueue({ action: 'sample.add', tube: tube.code, person }, (scan) => {
    inTube.set(scan.clientId, person);
    const label = person.startsWith('FY1:') ? '市民码' : FangyiId.mask(person);
    work.people.unshift({ id: scan.clientId, label, name: '', state: 'pending' });
  });
  return true;
}

/** Adds the person the registry did not know, with the name and phone the sampler took; false when they are wrong. */
export function addStranger(name, phone) {
  const waiting = waitingStranger();
  if (!waiting) return refuse({ title: '试管已更换，请重新扫描此人证件' });
  const tube = work.tube;
  if (tubeCount() >= tube.capacity) return refuse({ title: '已满，请封管', detail: `试管 ${tube.code} 已有 ${tube.capacity} 人` });
  stranger = null;
  enqueue({ action: 'sample.add', tube: tube.code, person: waiting.person, name, phone }, (scan) => {
    inTube.set(scan.clientId, waiting.person);
    work.people.unshift({ id: scan.clientId, label: waiting.label, name, state: 'pending' });
  });
  return true;
}

export function removeLast() {
  const tube = work.tube;
  if (!tube || tubeCount() === 0) return refuse({ title: '试管内还没有人员' });
  enqueue({ action: 'sample.remove_last', tube: tube.code }, () => {
    const last = work.people.find((p) => p.state === 'ok' || p.state === 'pending');
    if (last) {
      last.state = 'removed';
      inTube.delete(last.id);
    }
  });
}

export function sealTube() {
  const tube = work.tube;
  if (!tube) return refuse({ title: '请先扫描试管码' });
  if (tubeCount() === 0) return refuse({ title: '试管内还没有人员', detail: '空试管不能封管' });
  enqueue({ action: 'tube.seal', tube: tube.code }, () => {
    work.lastTube = { ...tube, box: work.box.code, people: work.people };
    work.box.sealedTubes = (work.box.sealedTubes || 0) + 1;
    work.tube = null;
    work.people = [];
    inTube.clear();
  });
}

export function sealBox() {
  const box = work.box;
  if (!box) return refuse({ title: '请先扫描转运箱码' });
  if (work.tube) return refuse({ title: '箱内还有未封管的试管，请先封管' });
  enqueue({ action: 'box.seal', box: box.code }, () => {
    work.lastBox = box;
    work.box = null;
    work.sealed = { box: box.code, pending: true };
  });
}

async function loadPeople(tube) {
  const { ok, data } = await api(`/api/v1/sampling/tubes/${encodeURIComponent(tube)}/history`);
  if (!ok || !work.tube || work.tube.code !== tube) return;
  const known = (data.people || []).map((p, i) => ({ id: `server-${tube}-${i}`, label: p.idMasked, name: p.name, state: 'ok', repeat: p.repeatInRound }));
  // Newest first, as the list shows them; anyone scanned here meanwhile stays on top.
  work.people = [...work.people, ...known.reverse()];
  save();
  on.changed();
}

/** Applies the server's answers to a batch of scans, just before the outbox forgets them. */
export function answered(batch, outcomes) {
  batch.forEach((scan, i) => answer(scan, outcomes[i]));
  save();
}

function answer(scan, outcome) {
  const body = outcome.body || {};
  const person = (work.people || []).find((p) => p.id === scan.clientId);
  if (!outcome.accepted) {
    refuse(body);
    undo(scan, body, person);
    return;
  }
  switch (scan.action) {
    case 'box.open':
      if (work.box && work.box.code === scan.box) Object.assign(work.box, { tubes: body.tubes, people: body.people });
      break;
    case 'tube.open':
      if (work.tube && work.tube.code === scan.tube) {
        Object.assign(work.tube, { confirmed: body.count, capacity: body.capacity });
        // Resumed (on another phone, or after the phone forgot): the people already in it come from the server.
        if (body.count > 0 && !work.people.some((p) => p.state === 'ok')) loadPeople(scan.tube);
      }
      break;
    case 'sample.add':
      if (work.tube && work.tube.code === scan.tube) work.tube.confirmed = body.count;
      if (person) Object.assign(person, { state: person.state === 'removed' ? 'removed' : 'ok', name: body.name, label: body.idMasked, repeat: body.repeatInRound });
      notice(`已登记 ${body.name} ${body.idMasked}${body.repeatInRound ? '（本轮已采过）' : ''}`);
      break;
    case 'sample.remove_last':
      if (work.tube && work.tube.code === scan.tube) work.tube.confirmed = body.count;
      break;
    case 'tube.seal':
      notice(`试管 ${body.tube} 已封管，共 ${body.count} 人`);
      break;
    case 'box.seal':
      work.sealed = { box: body.box, tubes: body.tubes, people: body.people };
      notice(`转运箱 ${body.box} 已封箱：${body.tubes} 管 ${body.people} 人`);
      break;
  }
}

// A refused scan takes back what the screen assumed, where that is still what the screen shows.
function undo(scan, problem, person) {
  switch (scan.action) {
    case 'box.open':
      if (work.box && work.box.code === scan.box) Object.assign(work, { box: null, tube: null, people: [] });
      break;
    case 'tube.open':
      if (work.tube && work.tube.code === scan.tube) Object.assign(work, { tube: null, people: [] });
      break;
    case 'sample.add':
      if (person) Object.assign(person, { state: 'refused', name: problem.title || '' });
      inTube.delete(scan.clientId);
      // Someone the registry does not know: the screen asks for a name and phone, while the tube is open.
      if (problem.code === 'person_not_registered' && work.tube && work.tube.code === scan.tube) {
        stranger = { person: scan.person, tube: scan.tube, label: person ? person.label : FangyiId.mask(scan.person) };
      }
      break;
    case 'tube.seal': {
      const last = work.lastTube;
      if (!work.tube && last && last.code === scan.tube && work.box && work.box.code === last.box) {
        work.tube = { code: last.code, capacity: last.capacity, confirmed: last.confirmed };
        work.people = last.people || [];
        work.box.sealedTubes = Math.max(0, (work.box.sealedTubes || 1) - 1);
      }
      break;
    }
    case 'box.seal':
      if (!work.box && work.lastBox && work.lastBox.code === scan.box) Object.assign(work, { box: work.lastBox, sealed: null });
      break;
  }
}
