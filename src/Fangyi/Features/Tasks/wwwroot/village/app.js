// 网格员待办: the village worker's to-do list on the phone. The list of the worker's village comes from
// /api/v1/tasks and is kept on the phone for reading offline; marks (已通知 for a retest, 已上门 with what was found
// for a door-to-door visit) go through the sampler's outbox (sampler/outbox.js) to /api/v1/tasks/marks/batch, each
// with its own client id, so they wait on the phone when offline and land once when the network is back.
import { KEYS, read, write, newId } from '/sampler/local.js';
import * as session from '/sampler/session.js';
import * as outbox from '/sampler/outbox.js';
import { refuse, dismiss, notice } from '/sampler/banner.js';
import { wireSignIn, askAgain } from '/sampler/signin.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['login', 'password', 'tasks'];
const KINDS = [
  ['retest', '单管复核', '混管阳性，请通知本人尽快单管单采；采样后自动完成'],
  ['resample', '重新采样', '样本缺失、破损或无效，请通知本人重新采样；采样后自动完成'],
  ['door_to_door', '上门排查', '本轮尚未采样，请上门核实；本人采样后自动完成'],
];
const REASONS = [['away', '外出'], ['sampled_elsewhere', '已在外地采样'], ['bedridden', '卧床'], ['refused', '拒绝'], ['no_such_person', '查无此人']];
let screen = '';
let open = null;        // the task whose mark form is open: { id, reason }
let list = read(KEYS.lists) || { at: 0, tasks: [] };

function show(name) {
  screen = name;
  for (const s of SCREENS) $('screen-' + s).hidden = s !== name;
  $('logout').hidden = name !== 'tasks';
  render();
}

function start() {
  if (!session.signedIn()) {
    show('login');
    $('login-form').username.focus();
    return;
  }
  show('tasks');
  load();
}

const sessionEnded = () => askAgain(show);

// The open tasks of the village, kept on the phone: a worker walking between houses reads the last copy offline.
async function load() {
  try {
    const answer = await session.api('/api/v1/tasks?state=open');
    if (answer.status === 401) return sessionEnded();
    if (!answer.ok) return refuse(answer.data);
    list = { at: Date.now(), tasks: answer.data };
    write(KEYS.lists, list);
  } catch {
    // offline: the copy from the last time will do
  }
  render();
}

// ---- drawing ----

const two = (n) => String(n).padStart(2, '0');
const when = (ms) => { const d = new Date(ms); return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`; };
const markOf = (task) => outbox.pending.find((m) => m.taskId === task.id);

function card(task) {
  const li = $('task-card').content.firstElementChild.cloneNode(true);
  const overdue = task.state === 'open' && Date.now() >= task.dueAt;
  const mark = markOf(task) || task.marked;
  li.dataset.task = String(task.id);
  li.classList.toggle('overdue', overdue && !mark);
  li.classList.toggle('marked', Boolean(mark));
  li.querySelector('.name').textContent = task.name;
  li.querySelector('.id').textContent = task.idMasked;
  li.querySelector('.address').textContent = task.address;
  const tel = li.querySelector('.tel');
  if (task.phone) {
    tel.href = 'tel:' + task.phone;
    tel.textContent = task.phone;
  } else {
    tel.remove();
  }
  li.querySelector('.due').textContent = (overdue ? '已超时 · ' : '') + '截止 ' + when(task.dueAt) + (task.level !== 'village' && overdue ? (task.level === 'county' ? ' · 已上报县级' : ' · 已上报乡镇') : '');
  const line = li.querySelector('.done-line');
  if (mark) {
    const waiting = markOf(task) ? ' · 待上传' : '';
    line.textContent = (mark.action === 'visited' ? `已上门（${REASONS.find((r) => r[0] === mark.reason)[1]}）` : '已通知') + (mark.note ? '：' + mark.note : '') + waiting;
    line.hidden = false;
  } else if (task.notifiedAt) {
    line.textContent = '已通知 ' + when(task.notifiedAt) + (task.note ? '：' + task.note : '') + '，等待本人单管采样';
    line.hidden = false;
  }
  const actions = li.querySelector('.task-actions');
  if (mark && (mark.action === 'visited' || markOf(task))) return li;
  if (open && open.id === task.id) {
    actions.append(markForm(task));
  } else {
    const button = Object.assign(document.createElement('button'), {
      type: 'button', className: 'secondary', textContent: task.kind === 'door_to_door' ? '已上门' : task.notifiedAt ? '再次通知' : '已通知',
    });
    button.addEventListener('click', () => { open = { id: task.id, reason: null }; render(); });
    actions.append(button);
  }
  return li;
}

function markForm(task) {
  const form = document.createElement('form');
  form.className = 'mark-form';
  const door = task.kind === 'door_to_door';
  if (door) {
    const reasons = document.createElement('div');
    reasons.className = 'reasons';
    reasons.setAttribute('role', 'radiogroup');
    reasons.setAttribute('aria-label', '上门情况');
    for (const [code, name] of REASONS) {
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: name });
      b.dataset.reason = code;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(open.reason === code));
      b.addEventListener('click', () => { open.reason = code; reasons.querySelectorAll('button').forEach((x) => x.setAttribute('aria-checked', String(x === b))); });
      reasons.append(b);
    }
    form.append(reasons);
  }
  const note = Object.assign(document.createElement('textarea'), { name: 'note', maxLength: 200, placeholder: door ? '备注（选填），如：去向、返回时间' : '备注（选填），如：已电话通知，明早到采样点' });
  const row = document.createElement('div');
  row.className = 'row';
  const cancel = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: '取消' });
  cancel.addEventListener('click', () => { open = null; render(); });
  row.append(cancel, Object.assign(document.createElement('button'), { type: 'submit', className: 'primary', textContent: '提交' }));
  form.append(note, row);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (door && !open.reason) return refuse({ title: '请选择上门情况' });
    mark(task, door ? 'visited' : 'notified', door ? open.reason : null, note.value.trim());
  });
  return form;
}

function mark(task, action, reason, note) {
  open = null;
  const queued = { clientId: newId(), taskId: task.id, action, reason, note: note || null, at: Date.now() };
  outbox.put(queued).catch(() => refuse({ title: '手机存储不可用', detail: '标记未能保存，请勿使用无痕模式' }));
  render();
}

function render() {
  const { pending, reachable } = outbox;
  $('network').textContent = reachable ? '在线' : '离线';
  $('network').className = 'network ' + (reachable ? 'online' : 'offline');
  $('pending').hidden = pending.length === 0;
  $('pending').textContent = `待上传 ${pending.length} 条`;
  const me = read(KEYS.session);
  $('where').textContent = me ? `${me.username} · ${me.role === 'admin' ? '管理员' : '网格员'}` : '';
  if (screen !== 'tasks') return;
  const tasks = list.tasks;
  const overdue = tasks.filter((t) => Date.now() >= t.dueAt && !markOf(t) && !t.marked).length;
  $('summary').textContent = `共 ${tasks.length} 项待办` + (overdue ? `，其中 ${overdue} 项已超时` : '');
  $('stale').hidden = reachable || !list.at;
  $('stale').textContent = `离线：显示 ${when(list.at)} 的清单，标记会在联网后自动上传`;
  $('empty').hidden = tasks.length > 0;
  const groups = KINDS.map(([kind, name, hint]) => {
    // Overdue first (the server sends them by due time, the earliest first), marked ones last.
    const mine = tasks.filter((t) => t.kind === kind)
      .sort((a, b) => Number(Boolean(markOf(a) || a.marked)) - Number(Boolean(markOf(b) || b.marked)) || a.dueAt - b.dueAt);
    if (mine.length === 0) return null;
    const section = document.createElement('section');
    section.className = 'group';
    section.dataset.kind = kind;
    const title = document.createElement('h2');
    title.append(name + ' ', Object.assign(document.createElement('span'), { className: 'count', textContent: `${mine.length} 人` }));
    const ol = document.createElement('ol');
    ol.className = 'tasks';
    ol.append(...mine.map(card));
    section.append(title, Object.assign(document.createElement('p'), { className: 'hint', textContent: hint }), ol);
    return section;
  }).filter(Boolean);
  $('groups').replaceChildren(...groups);
}

// The server's answers to marks: a landed mark stays on the card until the next list; a refused one says why.
function answered(batch, answers) {
  batch.forEach((sent, i) => {
    const answer = answers[i];
    const task = list.tasks.find((t) => t.id === sent.taskId);
    if (answer.accepted) {
      if (task) Object.assign(task, { marked: { action: sent.action, reason: sent.reason, note: sent.note } }, sent.action === 'notified' ? { notifiedAt: sent.at, note: sent.note } : {});
      notice(sent.action === 'visited' ? '上门情况已上传' : '通知情况已上传');
    } else {
      refuse(answer.body);
      if (task) delete task.marked;
    }
  });
  write(KEYS.lists, list);
}

// ---- start ----

wireSignIn({ show, start });
$('reload').addEventListener('click', () => { dismiss(); load(); });
$('logout').addEventListener('click', () => {
  if (outbox.pending.length) return refuse({ title: `还有 ${outbox.pending.length} 条待上传，联网上传后再退出` });
  session.signOut();
  write(KEYS.lists, null);
  list = { at: 0, tasks: [] };
  show('login');
});
// The list is read again once the outbox has emptied: a list read while marks were still on their way would show
// their tasks open again.
let onTheirWay = 0;
outbox.listen({
  changed: () => {
    render();
    if (onTheirWay && outbox.pending.length === 0) load();
    onTheirWay = outbox.pending.length;
  },
  answered,
  sessionEnded,
});
$('banner').addEventListener('click', dismiss);
window.addEventListener('online', () => { if (outbox.pending.length === 0) load(); });

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/village-sw.js', { scope: '/village' }).catch(() => { /* the app works without it, online */ });
}

outbox.load()
  .catch(() => refuse({ title: '手机存储不可用', detail: '离线标记无法保存，请勿使用无痕模式' }))
  .finally(() => {
    start();
    outbox.flush();
  });
