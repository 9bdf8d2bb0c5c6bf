// The banner under the bar: refusals stay until tapped away, moved on from by the next scan, or followed by a
// success (an old red line over a green one reads as if the new scan failed); they are spoken and felt; successes
// fade.

let errors = [];
let errorsShownAt = 0;
let noticeTimer = 0;

export const problemText = (p) => (p && p.title ? p.title + (p.detail ? '：' + p.detail : '') : '操作失败，请重试');

export function refuse(problem) {
  errors = [problemText(problem)].concat(errors).slice(0, 3);
  errorsShownAt = Date.now();
  say(problem && problem.title);
  if (navigator.vibrate) navigator.vibrate([80, 60, 80]);
  draw('');
}

export function notice(text) {
  clearTimeout(noticeTimer);
  errors = [];
  draw(text);
  noticeTimer = setTimeout(() => draw(''), 4000);
}

export function dismiss() {
  errors = [];
  draw('');
}

// A new scan by the sampler moves on from refusals they have had time to read.
export function clearOldErrors() {
  if (errors.length && Date.now() - errorsShownAt > 2500) dismiss();
}

function draw(info) {
  const banner = document.getElementById('banner');
  banner.replaceChildren();
  errors.forEach((text) => banner.append(Object.assign(document.createElement('p'), { className: 'error', textContent: text })));
  if (info) banner.append(Object.assign(document.createElement('p'), { className: 'info', textContent: info }));
  banner.hidden = banner.childElementCount === 0;
}

function say(text) {
  try {
    if (!text || !window.speechSynthesis) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = 'zh-CN';
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  } catch { /* speech is a courtesy */ }
}
