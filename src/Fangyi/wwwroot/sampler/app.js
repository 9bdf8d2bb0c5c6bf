// 采样员 app: log in, choose a round and a site, then box → tube → people, one scan each and no tap per person.
// This file wires the pieces together: the session (session.js), the work as the screens see it (work.js), the
// outbox every scan goes through (outbox.js, on disk in queue.js), the camera (/js/camera-scan.js), the banner
// (banner.js) and the drawing (render.js).
import { KEYS, read, write } from './local.js';
import * as session from './session.js';
import * as work from './work.js';
import * as outbox from './outbox.js';
import * as banner from './banner.js';
import { render as draw, showScreen, stepInput, focusStep, fieldError, hint, fill } from './render.js';
import * as FangyiId from './idnumber.js';
import { cameraReader } from '/js/camera-scan.js';

const CONFIRM_MS = 3000;  // how long a "tap again to confirm" button waits

const $ = (id) => document.getElementById(id);
const { refuse, clearOldErrors, problemText } = banner;

let screen = '';

const camera = cameraReader({
  video: $('camera-video'),
  panel: $('camera'),
  remember: KEYS.camera,
  formats: ['QR_CODE', 'CODE_128'],  // citizen codes are QR, tube and box labels Code 128
  onCode: decoded,
  onChange: (state) => {
    if (state === 'opening') $('camera-note').textContent = '正在打开摄像头…';
    if (state === 'on') $('camera-note').textContent = '将市民码或条码对准取景框';
    render();
  },
  onError: (error) => {
    const denied = error && error.name === 'NotAllowedError';
    refuse({ title: '无法打开摄像头', detail: denied ? '请在浏览器设置中允许使用摄像头' : String((error && error.message) || error) });
  },
});

const render = () => draw(screen, camera.running);
work.listen({ changed: render });
outbox.listen({ changed: render, answered: work.answered, sessionEnded });

// ---- screens ----

function show(name) {
  screen = name;
  showScreen(name);
  render();
  if (name === 'scan') {
    focusStep(screen);
    camera.resume();
  } else {
    camera.pause();
  }
}

function start() {
  if (!session.signedIn()) {
    show('login');
    $('login-form').username.focus();
  } else if (!work.state.round || !work.state.site) {
    showChoose();
  } else {
    show('scan');
  }
}

function sessionEnded() {
  session.end();
  const note = $('login-note');
  const { pending } = outbox;
  note.textContent = '登录已失效，请重新登录。' + (pending.length ? `待上传的 ${pending.length} 条已保存在手机上，登录后自动上传。` : '');
  note.hidden = false;
  show('login');
}

async function logIn(username, password) {
  const signed = await session.signIn(username, password);
  if ('refused' in signed) {
    fieldError('login-error', problemText(signed.refused));
    return;
  }
  if (signed.mustChangePassword) {
    show('password');
    $('password-form').newPassword.focus();
    return;
  }
  $('login-note').hidden = true;
  start();
  outbox.flush();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  fieldError('login-error', '');
  try {
    await logIn(form.username.value.trim(), form.password.value);
    form.password.value = '';
  } catch {
    fieldError('login-error', navigator.onLine ? '无法连接服务器，请稍后再试' : '没有网络，联网后才能登录');
  }
});

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.newPassword.value !== form.confirm.value) {
    fieldError('password-error', '两次输入的新密码不一致');
    return;
  }
  fieldError('password-error', '');
  try {
    const changed = await session.changePassword(form.newPassword.value);
    if ('refused' in changed) {
      fieldError('password-error', problemText(changed.refused));
      return;
    }
    await logIn(changed.username, form.newPassword.value);
    form.reset();
  } catch {
    fieldError('password-error', '无法连接服务器，请稍后再试');
  }
});

async function showChoose() {
  show('choose');
  let lists = read(KEYS.lists);
  try {
    const [rounds, sites] = await Promise.all([session.api('/api/v1/sampling/rounds'), session.api('/api/v1/sampling/sites')]);
    if (rounds.status === 401 || sites.status === 401) {
      sessionEnded();
      return;
    }
    if (rounds.ok && sites.ok) write(KEYS.lists, (lists = { rounds: rounds.data, sites: sites.data }));
  } catch {
    // Offline: the lists from the last time will do.
  }
  const now = Date.now();
  const rounds = (lists ? lists.rounds : []).filter((r) => r.endsAt > now);
  const sites = lists ? lists.sites : [];
  const current = work.state;
  fill($('choose-form').round, rounds, (r) => r.name + (r.startsAt > now ? '（未开始）' : ''), current.round && current.round.id);
  fill($('choose-form').site, sites, (s) => s.name, current.site && current.site.id);
  fieldError('choose-error', rounds.length === 0 ? '当前没有进行中的采样轮次' : sites.length === 0 ? '您还没有可用的采样点，请联系管理员' : '');
}

$('choose-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const lists = read(KEYS.lists);
  const form = event.target;
  const round = lists && lists.rounds.find((r) => String(r.id) === form.round.value);
  const site = lists && lists.sites.find((s) => String(s.id) === form.site.value);
  if (!round || !site) {
    fieldError('choose-error', '请选择采样轮次和采样点');
    return;
  }
  work.choose(round, site);
  show('scan');
});

$('logout').addEventListener('click', () => {
  const { pending } = outbox;
  if (pending.length) {
    fieldError('choose-error', `还有 ${pending.length} 条待上传，联网上传后再退出`);
    return;
  }
  session.signOut();
  work.forget();
  show('login');
});

$('change-task').addEventListener('click', () => {
  if (work.state.box) {
    refuse({ title: '请先封箱，再更换轮次或采样点' });
    return;
  }
  showChoose();
});

// ---- input: keyboard-wedge scanners, typing by hand, the camera ----

document.querySelectorAll('.code-form').forEach((form) => form.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = form.querySelector('input');
  const text = input.value.trim();
  input.value = '';  // at once: a wedge scanner may already be typing the next code
  if (!text) return;  // the Enter a scanner sends after a number that was registered as it completed
  clearOldErrors();
  hint('');
  const kind = form.dataset.kind;
  if (kind === 'box') work.openBox(text);
  else if (kind === 'tube') work.openTube(text);
  else if (work.addPerson(text) === false) {
    // A mistyped number stays, selected: a hand can fix one digit, a scanner simply types over it.
    input.value = text;
    input.select();
  }
}));

// A complete, valid number registers itself: hand typing needs no Enter and no tap.
$('person-input').addEventListener('input', (event) => {
  const input = event.target;
  const text = input.value.trim().toUpperCase();
  if ('FY1:'.startsWith(text.slice(0, 4)) && /^F/.test(text)) {
    hint('市民码，回车登记');
    return;
  }
  const verdict = FangyiId.judge(text);
  hint(verdict.message, verdict.state === 'invalid');
  if (verdict.state === 'valid') {
    input.value = '';
    hint('');
    clearOldErrors();
    work.addPerson(verdict.number);
  }
});

// A scanner types into whatever has focus: after a tap on a button, send its keys to the step's input.
document.addEventListener('keydown', (event) => {
  if (screen !== 'scan' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
  if (event.key.length === 1 || event.key === 'Enter') stepInput().focus();
});

function decoded(text) {
  const s = work.step();
  // Only what the step expects: the tube's own label in view while people are scanned is not a person.
  const wanted = s === 'box' ? /^B\d{10}$/i.test(text)
    : s === 'tube' ? /^T\d{10}$/i.test(text)
      : text.startsWith('FY1:') || /^\d{17}[\dXx]$/.test(text);
  if (!wanted) return;
  if (navigator.vibrate) navigator.vibrate(40);
  clearOldErrors();
  if (s === 'box') work.openBox(text);
  else if (s === 'tube') work.openTube(text);
  else work.addPerson(text);
}

$('camera-toggle').addEventListener('click', () => camera.toggle());

// ---- buttons ----

/** Irreversible buttons ask for a second tap; `needed` says when (封管 only for a tube that is not full). */
function confirmed(button, question, needed = () => true) {
  if (!needed()) return true;
  if (button.dataset.armed) {
    clearTimeout(Number(button.dataset.armed));
    delete button.dataset.armed;
    render();
    return true;
  }
  button.textContent = question;
  button.classList.add('armed');
  button.dataset.armed = String(setTimeout(() => { delete button.dataset.armed; render(); }, CONFIRM_MS));
  return false;
}

$('remove-last').addEventListener('click', (event) => {
  if (confirmed(event.currentTarget, '再点一次删除')) work.removeLast();
});
$('seal-tube').addEventListener('click', (event) => {
  const tube = work.state.tube;
  if (confirmed(event.currentTarget, '未满，再点一次封管', () => tube && work.tubeCount() < tube.capacity)) work.sealTube();
});
$('seal-box').addEventListener('click', (event) => {
  if (confirmed(event.currentTarget, '再点一次封箱')) work.sealBox();
});

document.querySelectorAll('#modes button').forEach((button) => button.addEventListener('click', () => {
  work.setMode(Number(button.dataset.capacity));
  render();
  focusStep(screen);
}));

$('banner').addEventListener('click', banner.dismiss);

// ---- start ----

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
