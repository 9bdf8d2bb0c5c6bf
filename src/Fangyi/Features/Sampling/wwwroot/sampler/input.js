// What the scan screen takes from the sampler's hands: a keyboard-wedge scanner, typing, the camera, and the
// buttons (the irreversible ones ask for a second tap).
import { KEYS } from './local.js';
import * as work from './work.js';
import { refuse, clearOldErrors } from './banner.js';
import { render, currentScreen, stepInput, focusStep, hint } from './render.js';
import * as FangyiId from './idnumber.js';
import { cameraReader } from '/js/camera-scan.js';

const CONFIRM_MS = 3000;  // how long a "tap again to confirm" button waits

const $ = (id) => document.getElementById(id);

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
  if (currentScreen() !== 'scan' || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
  if (event.key.length === 1 || event.key === 'Enter') stepInput().focus();
});

// The camera reads what the current step expects (see decoded below).
export const camera = cameraReader({
  video: $('camera-video'),
  panel: $('camera'),
  remember: KEYS.camera,
  formats: ['QR_CODE', 'CODE_128'],  // citizen codes are QR, tube and box labels Code 128
  onCode: decoded,
  onChange: (state) => {
    if (state === 'opening') $('camera-note').textContent = '正在打开摄像头…';
    if (state === 'on') $('camera-note').textContent = camera.reading === 'id-card' ? '身份证人像面放入虚线框，号码对准绿框' : '将市民码或条码对准取景框';
    render();
  },
  onError: (error) => {
    const denied = error && error.name === 'NotAllowedError';
    refuse({ title: '无法打开摄像头', detail: denied ? '请在浏览器设置中允许使用摄像头' : String((error && error.message) || error) });
  },
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

// Each button turns the camera to its own reading, or off when it is already on it.
$('camera-toggle').addEventListener('click', () => (camera.running && camera.reading === 'codes' ? camera.stop() : camera.readCodes()));
$('id-card-toggle').addEventListener('click', () => (camera.running && camera.reading === 'id-card' ? camera.stop() : camera.readIdCards()));

// A person the registry did not know: their name and phone, then into the tube like anyone.
$('stranger-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const name = form.name.value.trim();
  const phone = form.phone.value.replace(/\s/g, '');
  const error = !name ? '请填写姓名' : !/^1\d{10}$/.test(phone) ? '请填写11位手机号码' : '';
  $('stranger-error').textContent = error;
  $('stranger-error').hidden = !error;
  if (error) return;
  clearOldErrors();
  if (work.addStranger(name, phone)) focusStep();
});
$('stranger-cancel').addEventListener('click', () => {
  work.dropStranger();
  focusStep();
});

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
  focusStep();
}));
