// The courier's and the lab's work as the screens see it. A courier: the boxes on board (picked up, not yet
// handed over) and those handed over today. A lab: the box being received and its tubes as they are checked off.
// Each scan changes it at once, goes to the outbox (sampler/outbox.js) and is corrected when the server answers.
import { KEYS, read, write, newId } from '/sampler/local.js';
import * as FangyiId from '/sampler/idnumber.js';
import * as outbox from '/sampler/outbox.js';
import { notice, refuse } from '/sampler/banner.js';

// { mode, lab, onboard: [{ box, tubes, people, state }], delivered: [...], day, receipt: { box, tubes: [{ code, people }], checked: [], damaged: [], listed } }
let work = read(KEYS.work) || {};
export { work as state };

const on = { changed() {} };
export const listen = (handlers) => Object.assign(on, handlers);

const today = () => new Date().toLocaleDateString('zh-CN');
if (work.day !== today()) Object.assign(work, { day: today(), delivered: [] });
work.onboard ??= [];
work.delivered ??= [];
work.mode ??= 'pickup';

const save = () => write(KEYS.work, work);

export function setMode(mode) {
  work.mode = mode;
  save();
  on.changed();
}

export function setLab(lab) {
  work.lab = lab;
  save();
}

export function forget() {
  work = { onboard: [], delivered: [], mode: 'pickup', day: today() };
  save();
}

function enqueue(fields, applyLocally) {
  const scan = { clientId: newId(), at: Date.now(), ...fields };
  applyLocally(scan);
  save();
  on.changed();
  outbox.put(scan).catch((error) => refuse({ title: '无法保存到手机存储，请重试', detail: String((error && error.message) || error) }));
}

const boxCode = (text) => FangyiId.sampleCode(text, 'B');

/** The courier's scan of a box: picked up, or handed over to the chosen lab. */
export function courierScan(text) {
  const box = boxCode(text);
  if (!box) return refuse({ title: '转运箱码无效，请重新扫描', detail: text.slice(0, 20) });
  if (work.mode === 'pickup') {
    if (work.onboard.some((b) => b.box === box)) return refuse({ title: '该箱已在车上' });
    enqueue({ action: 'box.pickup', box }, () => work.onboard.unshift({ box, tubes: null, people: null, state: 'pending' }));
  } else {
    if (!work.lab) return refuse({ title: '请先选择交接的检测机构' });
    enqueue({ action: 'box.handover', box, to: work.lab.username }, () => {
      const on = work.onboard.find((b) => b.box === box) || { box, tubes: null, people: null };
      work.onboard = work.onboard.filter((b) => b.box !== box);
      work.delivered.unshift({ ...on, state: 'pending', to: work.lab.name });
    });
  }
}

/** The lab's scan: a box code receives the box (when no receipt is open), a tube code checks a tube off. */
export function labScan(text) {
  const box = boxCode(text);
  const receipt = work.receipt;
  if (box) {
    if (receipt && !receipt.done && receipt.box !== box) return refuse({ title: '请先完成当前转运箱的核对', detail: receipt.box });
    if (receipt && receipt.box === box && !receipt.done) return refuse({ title: '该箱正在核对中' });
    enqueue({ action: 'box.receive', box }, () => { work.receipt = { box, tubes: [], checked: [], damaged: [], listed: false, state: 'pending' }; });
    return;
  }
  const tube = FangyiId.sampleCode(text, 'T');
  if (!tube) return refuse({ title: '条码无效，请扫描转运箱码或试管码', detail: text.slice(0, 20) });
  if (!receipt || receipt.done) return refuse({ title: '请先扫描转运箱码接收' });
  if (receipt.checked.includes(tube)) return refuse({ title: '该试管已核对' });
  receipt.checked.push(tube);
  if (receipt.listed && !receipt.tubes.some((t) => t.code === tube)) refuse({ title: '该试管不在本箱清单中', detail: `${tube} 将登记为“多出”` });
  save();
  on.changed();
}

export function toggleDamaged(tube) {
  const receipt = work.receipt;
  if (!receipt || receipt.done) return;
  receipt.damaged = receipt.damaged.includes(tube) ? receipt.damaged.filter((t) => t !== tube) : receipt.damaged.concat(tube);
  save();
  on.changed();
}

/** Ends the check of the open box: what was not scanned is missing. */
export function reconcile() {
  const receipt = work.receipt;
  if (!receipt || receipt.done) return refuse({ title: '请先扫描转运箱码接收' });
  enqueue({ action: 'box.reconcile', box: receipt.box, tubes: receipt.checked, damaged: receipt.damaged }, () => { receipt.done = true; receipt.state = 'pending'; });
}

/** The tubes the box should hold, from its history, once the server has received it. */
export async function list(api) {
  const receipt = work.receipt;
  if (!receipt || receipt.listed) return;
  try {
    const history = await api(`/api/v1/sampling/boxes/${receipt.box}/history`);
    if (!history.ok || work.receipt !== receipt) return;
    receipt.tubes = history.data.tubes.map((t) => ({ code: t.code, people: t.people }));
    receipt.listed = true;
    save();
    on.changed();
  } catch {
    // offline: listed when the network is back
  }
}

/** Applies the server's answers to a batch of scans, just before the outbox forgets them. */
export function answered(batch, outcomes) {
  batch.forEach((scan, i) => answer(scan, outcomes[i]));
  save();
}

function answer(scan, outcome) {
  const body = outcome.body || {};
  const find = (list) => list.find((b) => b.box === scan.box);
  if (!outcome.accepted) {
    refuse(body);
    if (scan.action === 'box.pickup') {
      const box = find(work.onboard);
      if (box) Object.assign(box, { state: 'refused', why: body.title });
      work.onboard = work.onboard.filter((b) => b.state !== 'refused' || b === box);
    } else if (scan.action === 'box.handover') {
      const box = find(work.delivered);
      if (box) {
        work.delivered = work.delivered.filter((b) => b !== box);
        work.onboard.unshift({ ...box, state: 'ok' });
      }
    } else if (scan.action === 'box.receive' && work.receipt && work.receipt.box === scan.box) {
      work.receipt = null;
    } else if (scan.action === 'box.reconcile' && work.receipt && work.receipt.box === scan.box) {
      work.receipt.done = false;
    }
    return;
  }
  switch (scan.action) {
    case 'box.pickup': {
      const box = find(work.onboard);
      if (box) Object.assign(box, { tubes: body.tubes, people: body.people, state: 'ok' });
      notice(`已揽收 ${body.box}：${body.tubes} 管 ${body.people} 人`);
      break;
    }
    case 'box.handover': {
      const box = find(work.delivered);
      if (box) Object.assign(box, { tubes: body.tubes, people: body.people, state: 'ok' });
      notice(`${body.box} 已交接给 ${scan.to}`);
      break;
    }
    case 'box.receive':
      if (work.receipt && work.receipt.box === scan.box) work.receipt.state = 'ok';
      notice(`已接收 ${body.box}：${body.tubes} 管 ${body.people} 人，请逐管扫描核对`);
      break;
    case 'box.reconcile':
      if (work.receipt && work.receipt.box === scan.box) Object.assign(work.receipt, { state: 'ok', result: body });
      notice(body.discrepancy ? `核对完成：${body.discrepancy}` : `核对完成：${body.checked} 管无误`);
      break;
  }
}
