// The screens and the way between them: log-in (and the change of a one-time password), then the choice of round
// and site, then the scan screen; back to log-in when the server ends the session.
import { KEYS, read, write } from './local.js';
import * as session from './session.js';
import * as work from './work.js';
import * as outbox from './outbox.js';
import { refuse, problemText } from './banner.js';
import { showScreen, focusStep, fieldError, fill } from './render.js';
import { camera } from './input.js';

const $ = (id) => document.getElementById(id);

function show(name) {
  showScreen(name);
  if (name === 'scan') {
    focusStep();
    camera.resume();
  } else {
    camera.pause();
  }
}

export function start() {
  if (!session.signedIn()) {
    show('login');
    $('login-form').username.focus();
  } else if (!work.state.round || !work.state.site) {
    showChoose();
  } else {
    show('scan');
  }
}

export function sessionEnded() {
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
  // Until the lists are in, 开始采样 would find nothing chosen: it waits with them.
  const start = $('choose-form').querySelector('button[type=submit]');
  start.disabled = true;
  try {
    const [rounds, sites] = await Promise.all([session.api('/api/v1/sampling/rounds'), session.api('/api/v1/sampling/sites')]);
    if (rounds.status === 401 || sites.status === 401) {
      sessionEnded();
      return;
    }
    if (rounds.ok && sites.ok) write(KEYS.lists, (lists = { rounds: rounds.data, sites: sites.data }));
  } catch {
    // Offline: the lists from the last time will do.
  } finally {
    start.disabled = false;
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
