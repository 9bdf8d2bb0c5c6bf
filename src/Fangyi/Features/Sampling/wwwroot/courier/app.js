// 转运接收 app: one app for the couriers and the labs of the sampling chain, opening the screens of the signed-in
// role. A courier scans sealed boxes to pick them up and keeps a running manifest of what is on board, then hands
// each over to a lab; a lab receives a box and checks its tubes off one by one. Every scan goes through the
// sampler's outbox (sampler/outbox.js) and the scan endpoint, lands once, and waits on the phone when offline.
import { KEYS, read, write } from '/sampler/local.js';
import * as session from '/sampler/session.js';
import * as outbox from '/sampler/outbox.js';
import { refuse, dismiss, clearOldErrors } from '/sampler/banner.js';
import { wireSignIn, askAgain } from '/sampler/signin.js';
import { cameraReader } from '/js/camera-scan.js';
import * as chain from './chain.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['login', 'password', 'courier', 'lab'];
const STATE_NAMES = { pending: '待上传', ok: '已确认', refused: '被拒绝' };
let screen = '';

function show(name) {
  screen = name;
  for (const s of SCREENS) $('screen-' + s).hidden = s !== name;
  const working = name === 'courier' || name === 'lab';
  $('camera-toggle').hidden = !working;
  $('logout').hidden = !working;
  if (!working) camera.pause(); else camera.resume();
  render();
  const input = name === 'courier' ? $('courier-input') : name === 'lab' ? $('lab-input') : null;
  if (input) input.focus({ preventScroll: true });
}

const role = () => (read(KEYS.session) || {}).role;
const screenOf = () => (role() === 'lab' ? 'lab' : 'courier');

function start() {
  if (!session.signedIn()) {
    show('login');
    $('login-form').username.focus();
    return;
  }
  show(screenOf());
  if (screen === 'courier') loadLabs();
  chain.list(session.api);
}

const sessionEnded = () => askAgain(show);

async function loadLabs() {
  let labs = read(KEYS.lists) || [];
  try {
    const answer = await session.api('/api/v1/sampling/labs');
    if (answer.status === 401) return sessionEnded();
    if (answer.ok) write(KEYS.lists, (labs = answer.data));
  } catch {
    // offline: the list from the last time will do
  }
  const select = $('lab-select');
  const chosen = chain.state.lab && chain.state.lab.username;
  select.replaceChildren(new Option('请选择检测机构', ''), ...labs.map((l) => new Option(l.name, l.username, false, l.username === chosen)));
}

// ---- drawing ----

function item(className, code, counts, state) {
  const li = document.createElement('li');
  li.className = className;
  li.append(Object.assign(document.createElement('span'), { className: 'code', textContent: code }),
    Object.assign(document.createElement('span'), { className: 'state', textContent: state }),
    Object.assign(document.createElement('span'), { className: 'counts', textContent: counts }));
  return li;
}

const counts = (b) => (b.tubes == null ? '管数待确认' : `${b.tubes} 管 · ${b.people} 人`);

function render() {
  const { pending, reachable } = outbox;
  $('network').textContent = reachable ? '在线' : '离线';
  $('network').className = 'network ' + (reachable ? 'online' : 'offline');
  $('pending').hidden = pending.length === 0;
  $('pending').textContent = `待上传 ${pending.length} 条`;
  const me = read(KEYS.session);
  $('where').textContent = me ? `${me.username} · ${me.role === 'lab' ? '检测机构' : me.role === 'courier' ? '转运员' : '管理员'}` : '';
  $('camera-toggle').textContent = camera.running ? '关闭摄像头' : '开启摄像头扫码';
  const w = chain.state;
  if (screen === 'courier') {
    document.querySelectorAll('#courier-modes button').forEach((b) => b.setAttribute('aria-checked', String(b.dataset.mode === w.mode)));
    $('lab-choice').hidden = w.mode !== 'handover';
    $('courier-submit').textContent = w.mode === 'pickup' ? '揽收' : '交接';
    $('courier-hint').textContent = w.mode === 'pickup' ? '扫码枪扫描或手输箱码；只能揽收已封箱的转运箱' : '扫描要交给检测机构的转运箱';
    const onboard = w.onboard.filter((b) => b.state !== 'refused');
    $('onboard-boxes').textContent = String(onboard.length);
    $('onboard-tubes').textContent = String(onboard.reduce((n, b) => n + (b.tubes || 0), 0));
    $('onboard-people').textContent = String(onboard.reduce((n, b) => n + (b.people || 0), 0));
    $('onboard').replaceChildren(...w.onboard.map((b) => item(b.state, b.box, b.state === 'refused' ? b.why || '' : counts(b), b.state === 'ok' ? '已揽收' : STATE_NAMES[b.state])));
    $('delivered-title').hidden = w.delivered.length === 0;
    $('delivered').replaceChildren(...w.delivered.map((b) => item(b.state, b.box, `${counts(b)} · 交 ${b.to || ''}`, b.state === 'ok' ? '已交接' : STATE_NAMES[b.state])));
  }
  if (screen === 'lab') renderReceipt(w.receipt);
}

function renderReceipt(receipt) {
  const open = receipt && !receipt.done;
  $('receipt').hidden = !receipt || receipt.done;
  $('lab-step-title').textContent = open ? '② 逐管扫描试管码核对' : '① 扫描转运箱码，接收';
  $('lab-input').placeholder = open ? '试管码 T…' : '转运箱码 B…';
  $('lab-submit').textContent = open ? '核对' : '接收';
  const result = receipt && receipt.done && receipt.result;
  $('reconciled').hidden = !result;
  if (result) {
    $('reconciled').textContent = `转运箱 ${result.box} 核对完成，已开始检测：应有 ${result.expected} 管，核对 ${result.checked} 管`
      + (result.discrepancy ? `。${result.discrepancy}` : '，无差异');
  }
  if (!receipt || receipt.done) return;
  $('receipt-box').textContent = receipt.box;
  $('receipt-expected').textContent = receipt.listed ? String(receipt.tubes.length) : '…';
  $('receipt-checked').textContent = String(receipt.checked.filter((c) => !receipt.listed || receipt.tubes.some((t) => t.code === c)).length);
  const rows = receipt.tubes.map((t) => {
    const damaged = receipt.damaged.includes(t.code);
    const checked = receipt.checked.includes(t.code);
    const li = item(damaged ? 'damaged' : checked ? 'checked' : 'expected', t.code, `${t.people} 人`, damaged ? '破损' : checked ? '已核对' : '待核对');
    li.addEventListener('click', () => chain.toggleDamaged(t.code));
    return li;
  });
  const extra = receipt.listed ? receipt.checked.filter((c) => !receipt.tubes.some((t) => t.code === c)) : receipt.checked;
  rows.push(...extra.map((c) => item(receipt.listed ? 'extra' : 'checked', c, receipt.listed ? '不在清单中' : '', receipt.listed ? '多出' : '已扫描')));
  $('receipt-tubes').replaceChildren(...rows);
}

// ---- input ----

function submit(text) {
  clearOldErrors();
  if (screen === 'courier') chain.courierScan(text);
  else if (screen === 'lab') chain.labScan(text);
}

for (const id of ['courier-form', 'lab-form']) {
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    const input = event.target.querySelector('input');
    const text = input.value.trim();
    input.value = '';  // at once: a wedge scanner may already be typing the next code
    if (text) submit(text);
  });
}

// A scanner types into whatever has focus: after a tap on a button, send its keys to the screen's input.
document.addEventListener('keydown', (event) => {
  if ((screen !== 'courier' && screen !== 'lab') || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
  if (event.key.length === 1 || event.key === 'Enter') $(screen === 'courier' ? 'courier-input' : 'lab-input').focus();
});

const camera = cameraReader({
  video: $('camera-video'),
  panel: $('camera'),
  remember: KEYS.camera,
  formats: ['CODE_128'],
  onCode: (text) => {
    if (!/^[BT]\d{10}$/i.test(text)) return;
    if (navigator.vibrate) navigator.vibrate(40);
    submit(text);
  },
  onChange: (state) => {
    if (state === 'opening') $('camera-note').textContent = '正在打开摄像头…';
    if (state === 'on') $('camera-note').textContent = '将箱码或管码对准取景框';
    render();
  },
  onError: (error) => {
    const denied = error && error.name === 'NotAllowedError';
    refuse({ title: '无法打开摄像头', detail: denied ? '请在浏览器设置中允许使用摄像头' : String((error && error.message) || error) });
  },
});
$('camera-toggle').addEventListener('click', () => camera.toggle());

document.querySelectorAll('#courier-modes button').forEach((button) => button.addEventListener('click', () => {
  chain.setMode(button.dataset.mode);
  $('courier-input').focus();
}));
$('lab-select').addEventListener('change', (event) => {
  const select = event.target;
  chain.setLab(select.value ? { username: select.value, name: select.selectedOptions[0].textContent } : null);
});

let armed = 0;
$('reconcile').addEventListener('click', (event) => {
  const button = event.currentTarget;
  const receipt = chain.state.receipt;
  const missing = receipt && receipt.listed ? receipt.tubes.filter((t) => !receipt.checked.includes(t.code)).length : 0;
  if (missing > 0 && !armed) {
    button.textContent = `还有 ${missing} 管未核对（将登记为缺失），再点一次确认`;
    armed = setTimeout(() => { armed = 0; button.textContent = '完成核对'; }, 4000);
    return;
  }
  clearTimeout(armed);
  armed = 0;
  button.textContent = '完成核对';
  chain.reconcile();
});

// ---- sign-in ----

wireSignIn({ show, start });

$('logout').addEventListener('click', () => {
  if (outbox.pending.length) return refuse({ title: `还有 ${outbox.pending.length} 条待上传，联网上传后再退出` });
  session.signOut();
  chain.forget();
  show('login');
});

// ---- start ----

chain.listen({ changed: render });
outbox.listen({
  changed: () => { render(); if (screen === 'lab') chain.list(session.api); },
  answered: chain.answered,
  sessionEnded,
});
$('banner').addEventListener('click', dismiss);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/courier-sw.js', { scope: '/courier' }).catch(() => { /* the app works without it, online */ });
}

outbox.load()
  .catch(() => refuse({ title: '手机存储不可用', detail: '离线扫码无法保存，请勿使用无痕模式' }))
  .finally(() => {
    start();
    outbox.flush();
  });
