// Drawing: which screen is up, the bar, and the scan screen as the work and the outbox say. Nothing here changes
// the work.
import { state as work, step, tubeCount, waitingStranger } from './work.js';
import * as outbox from './outbox.js';

const MODE_NAMES = { 1: '单管', 5: '5混1', 10: '10混1', 20: '20混1' };
const STATE_NAMES = { pending: '待上传', ok: '已登记', refused: '未登记', removed: '已删除' };
const SCREENS = ['login', 'password', 'choose', 'scan'];

const $ = (id) => document.getElementById(id);

let screen = '';
let cameraOn = () => false;
let cameraReading = () => 'codes';
let cameraToCodes = () => {};
let drawnStep = '';

export const currentScreen = () => screen;

/** Tells the drawing how to know whether the camera is on and what it reads (for its buttons), and how to turn it back to codes. */
export const drawCamera = (isOn, reading, toCodes) => { cameraOn = isOn; cameraReading = reading; cameraToCodes = toCodes; };

export function showScreen(name) {
  screen = name;
  for (const s of SCREENS) $('screen-' + s).hidden = s !== name;
  render();
}

/** The input a scanner's keys should go to: the one of the current step. */
export const stepInput = () => ({ box: $('box-input'), tube: $('tube-input'), people: $('person-input') })[step()];

export function focusStep() {
  if (screen === 'scan') stepInput().focus({ preventScroll: true });
}

export function render() {
  const { pending, reachable } = outbox;
  $('network').textContent = reachable ? '在线' : '离线';
  $('network').className = 'network ' + (reachable ? 'online' : 'offline');
  $('pending').hidden = pending.length === 0;
  $('pending').textContent = `待上传 ${pending.length} 条`;
  $('where').textContent = work.round && work.site ? `${work.round.name} · ${work.site.name}` : '';
  if (screen !== 'scan') return;

  const s = step();
  for (const name of ['box', 'tube', 'people']) $('step-' + name).hidden = s !== name;
  const box = work.box;
  const tube = work.tube;

  const sealed = work.sealed;
  $('sealed-summary').hidden = !sealed || s !== 'box';
  if (sealed) {
    $('sealed-summary').textContent = sealed.pending
      ? `转运箱 ${sealed.box} 封箱已记录，待上传后显示管数和人数`
      : `转运箱 ${sealed.box} 已封箱：${sealed.tubes} 管 ${sealed.people} 人`;
  }
  if (box) {
    $('tube-box').textContent = box.code;
    $('tube-box-tubes').textContent = box.sealedTubes ? ` · 已封 ${box.sealedTubes} 管` : '';
    document.querySelectorAll('#modes button').forEach((b) => b.setAttribute('aria-checked', String(Number(b.dataset.capacity) === work.mode)));
  }
  if (tube) {
    const count = tubeCount();
    $('people-tube').textContent = tube.code;
    $('people-box').textContent = box.code;
    $('people-mode').textContent = MODE_NAMES[tube.capacity] || `${tube.capacity}人`;
    $('count').textContent = String(count);
    $('capacity').textContent = String(tube.capacity);
    $('counter').classList.toggle('is-full', count >= tube.capacity);
    $('full').hidden = count < tube.capacity;
    renderPeople();
  }
  renderStranger(s === 'people' ? waitingStranger() : null);
  $('people').hidden = s !== 'people' || !(work.people && work.people.length);

  const armed = (id) => $(id).dataset.armed;
  if (!armed('remove-last')) $('remove-last').textContent = '删除上一人';
  if (!armed('seal-tube')) $('seal-tube').textContent = '封管';
  if (!armed('seal-box')) $('seal-box').textContent = '封箱';
  for (const id of ['remove-last', 'seal-tube', 'seal-box']) $(id).classList.toggle('armed', Boolean(armed(id)));
  $('remove-last').disabled = s !== 'people';
  $('seal-tube').disabled = s !== 'people';
  $('seal-box').disabled = s === 'box';
  // ID cards are read for people only: on to the next box or tube, the camera reads codes again.
  if (cameraOn() && cameraReading() === 'id-card' && s !== 'people') cameraToCodes();
  const idCard = cameraReading() === 'id-card';
  $('camera-toggle').textContent = cameraOn() && !idCard ? '关闭摄像头' : '开启摄像头扫码';
  $('id-card-toggle').textContent = cameraOn() && idCard ? '停止识读' : '拍身份证号';
  $('id-card-toggle').hidden = s !== 'people';
  $('id-card-guide').hidden = !idCard;

  if (s !== drawnStep) {
    drawnStep = s;
    focusStep();
  }
}

let strangerShown = null;

// The name-and-phone form for a number the registry does not know: shown once, its name field focused.
function renderStranger(waiting) {
  const form = $('stranger-form');
  form.hidden = !waiting;
  if (waiting && strangerShown !== waiting) {
    $('stranger-id').textContent = waiting.label;
    $('stranger-error').hidden = true;
    form.reset();
    form.name.focus({ preventScroll: false });
  }
  strangerShown = waiting;
}

function renderPeople() {
  const list = $('people');
  list.replaceChildren(...(work.people || []).map((p) => {
    const item = document.createElement('li');
    item.className = p.state;
    const who = Object.assign(document.createElement('span'), { className: 'who', textContent: p.state === 'refused' ? p.name : p.name || '' });
    const id = Object.assign(document.createElement('span'), { className: 'id', textContent: p.label });
    const state = Object.assign(document.createElement('span'), { className: 'state', textContent: STATE_NAMES[p.state] + (p.repeat ? ' · 本轮已采' : '') });
    item.append(id, who, state);
    return item;
  }));
}

export function fieldError(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

export function hint(text, bad = false) {
  const el = $('person-hint');
  el.textContent = text || '扫码枪扫描或手输身份证号，满18位自动登记';
  el.classList.toggle('bad', bad);
}

export function fill(select, items, label, selected) {
  select.replaceChildren(...items.map((item) => new Option(label(item), item.id, false, item.id === selected)));
}
