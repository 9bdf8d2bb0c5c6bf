// 四合一查验 kiosk: one scan (ID card number from a reader that types, a typed number, a citizen code or a
// provincial health code through the camera) → one verdict, as a full-screen colour with the four facts in
// large type, spoken aloud. Every verdict is asked of the host at the moment of the scan; the page never shows
// an earlier answer as current, and says so plainly when it cannot reach the host.
import { cameraReader } from '/js/camera-scan.js';

(function () {
  'use strict';

  const STORAGE = {
    device: 'fangyi.kiosk.device',     // { id, secret }: the device's own key, given when an admin registered it
    prompts: 'fangyi.kiosk.prompts',   // the prompt texts, kept for speaking while offline
    camera: 'fangyi.kiosk.camera',
  };
  const HEARTBEAT_MS = 15000;   // how often the kiosk tells the host it is alive and learns its place and rules
  const STALE_MS = 45000;       // no word from the host for this long: the screen says its data may be stale
  const VERDICT_MS = 5000;      // a verdict stays this long unless the next person scans first
  const COLOURS = { green: '绿码', yellow: '黄码', red: '红码' };
  const NA_STATES = { negative: '阴性', positive: '阳性', mixed_positive: '混管阳性待复核', pending: '已采样，结果待出', invalid: '结果无效，需重采', none: '无检测记录' };
  // Every prompt the host lists has a recording beside this page (scripts/kiosk-audio.sh), and so has the
  // kiosk's own "offline", for browsers with no Chinese voice.
  const OWN_PROMPTS = [{ key: 'offline', text: '网络中断，请人工查验' }];

  const $ = (id) => document.getElementById(id);
  const read = (key) => { try { return JSON.parse(localStorage.getItem(key)); } catch { return null; } };
  const write = (key, value) => (value == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)));

  let device = read(STORAGE.device);
  let lastContact = 0;          // when the host last answered anything
  let reachable = false;
  let verdictTimer = 0;
  let busy = 0;                 // the number of the scan being asked about; an older answer is dropped

  // Set-up is by a one-time enrolment code (the form below). The older hand-over in a link the device opens once,
  // /kiosk#device=D000123.SECRET (a fragment: never sent to the host), is still read for devices set up that way.
  const fromLink = /device=([^&]+)/.exec(location.hash);
  if (fromLink) {
    const [id, ...rest] = decodeURIComponent(fromLink[1]).split('.');
    if (id && rest.length) write(STORAGE.device, (device = { id, secret: rest.join('.') }));
    history.replaceState(null, '', location.pathname);
  }

  // ---- host ----

  async function api(path, body) {
    const headers = { Accept: 'application/json', Authorization: `Device ${device.id}.${device.secret}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    let data = null;
    try { data = await response.json(); } catch { /* no body */ }
    lastContact = Date.now();
    reachable = true;
    return { status: response.status, ok: response.ok, data };
  }

  async function heartbeat() {
    if (!device) return;
    try {
      const answer = await api('/api/v1/checkpoint/heartbeat', {});
      if (answer.status === 401) {
        forget(answer.data && answer.data.title ? answer.data.title : '设备未登记或已停用');
        return;
      }
      if (answer.ok && answer.data) {
        const place = answer.data.place || {};
        $('place').textContent = [place.name, place.categoryName || place.category].filter(Boolean).join(' · ');
      }
    } catch {
      reachable = false;
    }
    renderLink();
  }

  async function loadPrompts() {
    try {
      const response = await fetch('/api/v1/checkpoint/prompts', { cache: 'no-store' });
      if (response.ok) write(STORAGE.prompts, await response.json());
    } catch { /* the kept copy serves */ }
  }

  function promptText(key, fallback) {
    const list = read(STORAGE.prompts) || [];
    const found = list.find((p) => p.key === key);
    return found ? found.text : fallback;
  }

  // ---- speech ----

  let zhVoice = null;
  function findVoice() {
    if (!window.speechSynthesis) return;
    zhVoice = speechSynthesis.getVoices().find((v) => /^zh(-|_|$)/i.test(v.lang) || /cmn/i.test(v.lang)) || null;
  }
  if (window.speechSynthesis) {
    findVoice();
    speechSynthesis.addEventListener('voiceschanged', findVoice);
  }

  // The browser's voice when it has a Chinese one; otherwise the recorded prompt for the key.
  function speak(key, text) {
    try {
      if (zhVoice) {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = zhVoice.lang;
        utterance.voice = zhVoice;
        speechSynthesis.cancel();
        speechSynthesis.speak(utterance);
      } else if (key && (read(STORAGE.prompts) || []).concat(OWN_PROMPTS).some((p) => p.key === key)) {
        const audio = new Audio(`/kiosk/audio/${key}.wav`);
        audio.play().catch(() => { /* autoplay refused until the first touch */ });
      }
    } catch { /* a silent kiosk still shows the verdict */ }
  }

  // ---- screens ----

  function show(name) {
    for (const s of ['setup', 'ready', 'verdict']) $('screen-' + s).hidden = s !== name;
    $('camera-toggle').hidden = name === 'setup';
    $('id-card-toggle').hidden = name === 'setup';
    if (name !== 'setup') focusEntry();
  }

  function focusEntry() {
    const entry = $('entry');
    // The verdict screen covers the form, but a reader that types must still land in it.
    if (document.activeElement !== entry) entry.focus({ preventScroll: true });
  }

  function renderLink() {
    const link = $('link');
    const silentFor = Date.now() - lastContact;
    const stale = lastContact > 0 && silentFor > STALE_MS;
    if (!reachable || !navigator.onLine) {
      link.className = 'link offline';
      link.textContent = '离线';
    } else if (stale) {
      link.className = 'link stale';
      link.textContent = '数据可能过期';
    } else {
      link.className = 'link online';
      link.textContent = '在线';
    }
    const banner = $('stale');
    if (!device) {
      banner.hidden = true;
    } else if (!reachable || !navigator.onLine) {
      banner.hidden = false;
      banner.textContent = '设备离线：无法核验，请人工查验健康码和核酸证明';
    } else if (stale) {
      banner.hidden = false;
      banner.textContent = `已 ${Math.round(silentFor / 1000)} 秒未与平台联系，数据可能已过期，请人工核查`;
    } else {
      banner.hidden = true;
    }
  }

  function tick() {
    const now = new Date();
    $('clock').textContent = now.toLocaleTimeString('zh-CN', { hour12: false });
    renderLink();
  }

  // ---- checking ----

  async function check(text) {
    text = String(text || '').trim();
    if (!text || !device) return;
    const run = ++busy;
    $('checking').hidden = false;
    let answer;
    try {
      // No client id: the host numbers checks itself, rising, which keeps its index of them cheap.
      answer = await api('/api/v1/checkpoint/verify', { input: text });
    } catch {
      if (run !== busy) return;
      reachable = false;
      renderLink();
      // No verdict at all rather than an old one.
      verdict('unknown', promptText('offline', '网络中断，请人工查验'), '', null, 'offline');
      return;
    } finally {
      if (run === busy) $('checking').hidden = true;
    }
    if (run !== busy) return;
    renderLink();
    if (answer.status === 401) {
      forget(answer.data && answer.data.title ? answer.data.title : '设备未登记或已停用');
      return;
    }
    if (!answer.ok || !answer.data || !answer.data.verdict) {
      // A refusal (a damaged or forged code, a mistyped number) names what went wrong and the prompt to speak.
      const problem = answer.data || {};
      const key = problem.promptKey || 'rescan';
      verdict('unknown', problem.prompt || promptText(key, '无法识别，请重新扫描'), problem.title || '', null, key);
      return;
    }
    const d = answer.data;
    const person = d.person ? [d.person.name, d.person.idMasked].filter(Boolean).join('  ') : '';
    verdict(tone(d), d.prompt, person, d, d.promptKey);
  }

  // The screen's colour: green only for a pass; red when the code is red or the person is positive.
  function tone(d) {
    if (d.verdict === 'pass') return 'pass';
    const colour = d.facts && d.facts.colour ? d.facts.colour.value : '';
    const na = d.facts && d.facts.nucleicAcid ? d.facts.nucleicAcid.state : '';
    if (colour === 'red' || na === 'positive' || na === 'mixed_positive') return 'stop';
    if (d.verdict === 'result_timed_out') return 'timeout';
    if (d.verdict === 'not_found') return 'unknown';
    return 'warn';
  }

  function verdict(kind, prompt, person, d, key) {
    const screen = $('screen-verdict');
    screen.className = 'screen verdict ' + kind;
    $('verdict-prompt').textContent = prompt;
    $('verdict-person').textContent = person;
    $('facts').hidden = !d || !d.facts;
    if (d && d.facts) facts(d);
    $('verdict-time').textContent = `查验时间 ${new Date(d && d.checkedAt ? d.checkedAt : Date.now()).toLocaleString('zh-CN', { hour12: false })}`;
    show('verdict');
    speak(key, prompt);
    clearTimeout(verdictTimer);
    verdictTimer = setTimeout(() => show('ready'), VERDICT_MS);
  }

  function facts(d) {
    const f = d.facts;
    const colour = f.colour || {};
    setFact('colour', COLOURS[colour.value] || '未知', colour.value || '', colour.reason || '');
    const na = f.nucleicAcid || {};
    let naNote = '';
    if (na.sampledAt) {
      const hours = na.hours != null ? na.hours : (Date.now() - na.sampledAt) / 3600000;
      naNote = `${Math.floor(hours)} 小时前采样`;
      if (na.windowHours) naNote += `（本场所要求 ${na.windowHours} 小时内）`;
    }
    const naTone = na.state === 'negative' && na.withinWindow ? 'green' : na.state === 'positive' || na.state === 'mixed_positive' ? 'red' : 'yellow';
    setFact('na', (na.state === 'negative' && na.withinWindow === false ? '阴性（已超时）' : NA_STATES[na.state]) || '无检测记录', naTone, naNote);
    const vaccine = f.vaccination || {};
    setFact('vaccine', vaccine.doses ? `已接种 ${vaccine.doses} 剂` : '未接种', vaccine.doses ? 'green' : 'yellow',
      vaccine.lastDoseAt ? `末剂 ${new Date(vaccine.lastDoseAt).toLocaleDateString('zh-CN')}` : '');
    const travel = f.travel || {};
    setFact('travel', travel.fromRiskArea ? '中高风险地区来返' : '无风险地区旅居', travel.fromRiskArea ? 'red' : 'green',
      travel.fromRiskArea ? [travel.area, travel.arrivedAt ? `${new Date(travel.arrivedAt).toLocaleDateString('zh-CN')} 抵达` : ''].filter(Boolean).join(' · ') : '');
  }

  function setFact(name, value, toneName, note) {
    const el = $('fact-' + name);
    el.textContent = value;
    el.className = 'fact-value ' + toneName;
    $(`fact-${name}-note`).textContent = note;
  }

  // ---- device ----

  function forget(message) {
    write(STORAGE.device, (device = null));
    camera.pause();
    show('setup');
    $('setup-error').textContent = message;
    $('setup-error').hidden = !message;
    renderLink();
  }

  $('setup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const code = form.code.value.trim();
    form.code.value = '';
    $('setup-error').hidden = true;
    // The one-time enrolment code is traded for this device's key, which is kept here and never shown.
    let response;
    try {
      response = await fetch('/api/v1/checkpoint/enrol', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ code }),
      });
    } catch {
      forget('网络中断，请稍后重试');
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      forget(answer.title || '开通码无效，请向管理员重新获取');
      return;
    }
    device = { id: answer.deviceId, secret: answer.secret };
    write(STORAGE.device, device);
    await heartbeat();
    if (device) begin();
  });

  // ---- input ----

  $('entry-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const entry = $('entry');
    const text = entry.value;
    entry.value = '';
    check(text);
  });

  // Whatever is typed, whichever screen is up, goes to the entry: a card reader types and presses Enter.
  document.addEventListener('keydown', (event) => {
    if (!device || event.target instanceof HTMLInputElement) return;
    if (event.key.length === 1 || event.key === 'Enter') focusEntry();
  });

  // The kiosk faces the person: the front camera, citizen and health codes (QR).
  const camera = cameraReader({
    video: $('camera-video'),
    panel: $('camera'),
    remember: STORAGE.camera,
    facingMode: 'user',
    onCode: check,
    onChange: () => {
      $('id-card-guide').hidden = camera.reading !== 'id-card' || !camera.running;
      $('id-card-toggle').textContent = camera.running && camera.reading === 'id-card' ? '停止识读' : '拍身份证号';
    },
    onError: (error) => verdict('unknown', '无法打开摄像头', String((error && error.message) || error), null, ''),
  });

  // Each button turns the camera to its own reading, or off when it is already on it.
  $('camera-toggle').addEventListener('click', () => (camera.running && camera.reading === 'codes' ? camera.stop() : camera.readCodes()));
  $('id-card-toggle').addEventListener('click', () => (camera.running && camera.reading === 'id-card' ? camera.stop() : camera.readIdCards()));
  $('fullscreen').addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  });
  window.addEventListener('online', () => { heartbeat(); });
  window.addEventListener('offline', renderLink);

  // ---- start ----

  function begin() {
    show('ready');
    camera.resume();
  }

  loadPrompts();
  tick();
  setInterval(tick, 1000);
  setInterval(heartbeat, HEARTBEAT_MS);
  if (device) {
    begin();
    heartbeat();
  } else {
    show('setup');
  }
})();
