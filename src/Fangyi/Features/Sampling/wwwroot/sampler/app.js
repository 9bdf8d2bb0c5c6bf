// 采样员 app: log in, choose a round and a site, then box → tube → people, one scan each and no tap per person.
// Every scan is written to the phone's outbox first (queue.js) and sent from there, in order, through
// /api/v1/scans/batch. The screen counts as if the server had already said yes and corrects itself when it answers,
// so a sampler can finish a tube with no network at all.
(function () {
  'use strict';

  const STORAGE = {
    session: 'fangyi.sampler.session',
    work: 'fangyi.sampler.work',
    lists: 'fangyi.sampler.lists',
    device: 'fangyi.sampler.device',
    camera: 'fangyi.sampler.camera',
  };
  const MODE_NAMES = { 1: '单管', 5: '5混1', 10: '10混1', 20: '20混1' };
  const BATCH = 200;          // scans per upload; the server takes up to 500
  const RETRY_MS = 3000;      // how often an outbox that could not be sent is tried again
  const SAME_CODE_MS = 3000;  // a code that stays in front of the camera is read once
  const CONFIRM_MS = 3000;    // how long a "tap again to confirm" button waits

  const $ = (id) => document.getElementById(id);
  const read = (key) => { try { return JSON.parse(localStorage.getItem(key)); } catch { return null; } };
  const write = (key, value) => (value == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)));

  let session = read(STORAGE.session);  // { token, username, role }
  // The sampler's place in the work: { round, site, mode, box, tube, people, lastBox, lastTube, sealed }.
  // Only masked numbers are kept here; full numbers live in the outbox until the server has them.
  let work = read(STORAGE.work) || {};
  let pending = [];                     // the outbox as last read, oldest first
  let screen = '';
  let reachable = navigator.onLine;
  let oneTimePassword = null;           // kept in memory only, until it has been changed
  const inTube = new Map();             // client id → person, for the current tube, to refuse a double scan at once

  const save = () => write(STORAGE.work, work);

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; a phone on plain http inside the LAN still needs unique ids.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function deviceId() {
    let id = read(STORAGE.device);
    if (!id) write(STORAGE.device, (id = newId()));
    return id;
  }

  // ---- server ----

  async function api(path, method = 'GET', body = undefined, mayRenew = true) {
    const headers = { Accept: 'application/json', 'X-Device-Id': deviceId() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (session) headers.Authorization = 'Bearer ' + session.token;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    // An access token lives 12 hours; a shift that outlasts it goes on with the refresh token, once per expiry.
    if (response.status === 401 && mayRenew && session && session.refreshToken && await renewSession()) {
      return api(path, method, body, false);
    }
    let data = null;
    try { data = await response.json(); } catch { /* 204, or not JSON */ }
    return { status: response.status, ok: response.ok, data };
  }

  // One refresh at a time: a refresh token is good once, and a second use would end the session.
  let renewing = null;
  function renewSession() {
    renewing ??= (async () => {
      try {
        const response = await fetch('/api/v1/auth/refresh', {
          method: 'POST', cache: 'no-store',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: session.refreshToken }),
        });
        if (!response.ok) return false;
        const pair = await response.json();
        session = { ...session, token: pair.accessToken, refreshToken: pair.refreshToken };
        write(STORAGE.session, session);
        return true;
      } catch {
        return false;
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  const problemText = (p) => (p && p.title ? p.title + (p.detail ? '：' + p.detail : '') : '操作失败，请重试');

  // ---- messages: refusals stay until tapped away (or replaced by the next scan); successes fade ----

  let errors = [];
  let errorsShownAt = 0;
  let noticeTimer = 0;

  function refuse(problem) {
    errors = [problemText(problem)].concat(errors).slice(0, 3);
    errorsShownAt = Date.now();
    say(problem && problem.title);
    if (navigator.vibrate) navigator.vibrate([80, 60, 80]);
    renderBanner('');
  }

  function notice(text) {
    clearTimeout(noticeTimer);
    renderBanner(text);
    noticeTimer = setTimeout(() => renderBanner(''), 4000);
  }

  function renderBanner(info) {
    const banner = $('banner');
    banner.replaceChildren();
    errors.forEach((text) => banner.append(Object.assign(document.createElement('p'), { className: 'error', textContent: text })));
    if (info) banner.append(Object.assign(document.createElement('p'), { className: 'info', textContent: info }));
    banner.hidden = banner.childElementCount === 0;
  }

  // A new scan by the sampler moves on from refusals they have had time to read.
  function clearOldErrors() {
    if (errors.length && Date.now() - errorsShownAt > 2500) {
      errors = [];
      renderBanner('');
    }
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

  function fieldError(id, text) {
    $(id).textContent = text;
    $(id).hidden = !text;
  }

  // ---- screens ----

  function show(name) {
    screen = name;
    for (const s of ['login', 'password', 'choose', 'scan']) $('screen-' + s).hidden = s !== name;
    render();
    if (name === 'scan') {
      focusInput();
      if (read(STORAGE.camera)) startCamera();
    } else {
      stopCamera(false);
    }
  }

  function start() {
    if (!session) {
      show('login');
      $('login-form').username.focus();
    } else if (!work.round || !work.site) {
      showChoose();
    } else {
      show('scan');
    }
  }

  function sessionEnded() {
    session = null;
    write(STORAGE.session, null);
    const note = $('login-note');
    note.textContent = '登录已失效，请重新登录。' + (pending.length ? `待上传的 ${pending.length} 条已保存在手机上，登录后自动上传。` : '');
    note.hidden = false;
    show('login');
  }

  async function logIn(username, password) {
    const token = await api('/api/v1/auth/token', 'POST', { username, password });
    if (!token.ok) {
      fieldError('login-error', problemText(token.data));
      return;
    }
    session = { token: token.data.accessToken, refreshToken: token.data.refreshToken, username };
    const me = await api('/api/v1/auth/me');
    if (!me.ok || (me.data.role !== 'sampler' && me.data.role !== 'admin')) {
      session = null;
      fieldError('login-error', me.ok ? '该账号不是采样员账号' : problemText(me.data));
      return;
    }
    session.role = me.data.role;
    if (me.data.mustChangePassword) {
      // The token is good for nothing but the change; it is not kept.
      oneTimePassword = password;
      show('password');
      $('password-form').newPassword.focus();
      return;
    }
    write(STORAGE.session, session);
    $('login-note').hidden = true;
    start();
    flush();
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
      const changed = await api('/api/v1/auth/password', 'POST', { oldPassword: oneTimePassword, newPassword: form.newPassword.value });
      if (!changed.ok) {
        fieldError('password-error', problemText(changed.data));
        return;
      }
      // The old token died with the old password: sign in again with the new one.
      const username = session.username;
      session = null;
      oneTimePassword = null;
      await logIn(username, form.newPassword.value);
      form.reset();
    } catch {
      fieldError('password-error', '无法连接服务器，请稍后再试');
    }
  });

  async function showChoose() {
    show('choose');
    let lists = read(STORAGE.lists);
    try {
      const [rounds, sites] = await Promise.all([api('/api/v1/sampling/rounds'), api('/api/v1/sampling/sites')]);
      if (rounds.status === 401 || sites.status === 401) {
        sessionEnded();
        return;
      }
      if (rounds.ok && sites.ok) write(STORAGE.lists, (lists = { rounds: rounds.data, sites: sites.data }));
    } catch {
      // Offline: the lists from the last time will do.
    }
    const now = Date.now();
    const rounds = (lists ? lists.rounds : []).filter((r) => r.endsAt > now);
    const sites = lists ? lists.sites : [];
    fill($('choose-form').round, rounds, (r) => r.name + (r.startsAt > now ? '（未开始）' : ''), work.round && work.round.id);
    fill($('choose-form').site, sites, (s) => s.name, work.site && work.site.id);
    fieldError('choose-error', rounds.length === 0 ? '当前没有进行中的采样轮次' : sites.length === 0 ? '您还没有可用的采样点，请联系管理员' : '');
  }

  function fill(select, items, label, selected) {
    select.replaceChildren(...items.map((item) => new Option(label(item), item.id, false, item.id === selected)));
  }

  $('choose-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const lists = read(STORAGE.lists);
    const form = event.target;
    const round = lists && lists.rounds.find((r) => String(r.id) === form.round.value);
    const site = lists && lists.sites.find((s) => String(s.id) === form.site.value);
    if (!round || !site) {
      fieldError('choose-error', '请选择采样轮次和采样点');
      return;
    }
    work = { round: { id: round.id, name: round.name, ratioLow: round.ratioLow }, site: { id: site.id, name: site.name }, mode: round.ratioLow || 10 };
    save();
    show('scan');
  });

  $('logout').addEventListener('click', () => {
    if (pending.length) {
      fieldError('choose-error', `还有 ${pending.length} 条待上传，联网上传后再退出`);
      return;
    }
    // Sign-out ends the session on the server too, so a copied token is worth nothing afterwards.
    if (session) api('/api/v1/auth/logout', 'POST', {}, false).catch(() => {});
    session = null;
    work = {};
    write(STORAGE.session, null);
    save();
    show('login');
  });

  $('change-task').addEventListener('click', () => {
    if (work.box) {
      refuse({ title: '请先封箱，再更换轮次或采样点' });
      return;
    }
    showChoose();
  });

  // ---- the work: box → tube → people ----

  const step = () => (!work.box ? 'box' : !work.tube ? 'tube' : 'people');

  /** People in the current tube as the screen should count them: what the server confirmed, plus the outbox. */
  function tubeCount() {
    const tube = work.tube;
    if (!tube) return 0;
    let count = tube.confirmed;
    for (const scan of pending) {
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
    pending.push(scan);
    save();
    render();
    ScanQueue.add(scan).then((seq) => {
      scan.seq = seq;
      flush();
    }, (error) => {
      work = JSON.parse(before);
      pending = pending.filter((queued) => queued !== scan);
      inTube.delete(scan.clientId);
      save();
      render();
      refuse({ title: '无法保存到手机存储，请重试', detail: String((error && error.message) || error) });
    });
  }

  function openBox(text) {
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

  function openTube(text) {
    const code = FangyiId.sampleCode(text, 'T');
    if (!code) return refuse({ title: '试管码无效，请重新扫描', detail: text.slice(0, 20) });
    const capacity = work.mode;
    enqueue({ action: 'tube.open', box: work.box.code, tube: code, capacity }, () => {
      work.tube = { code, capacity, confirmed: 0 };
      work.people = [];
      inTube.clear();
    });
  }

  function addPerson(text) {
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

  function removeLast() {
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

  function sealTube() {
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

  function sealBox() {
    const box = work.box;
    if (!box) return refuse({ title: '请先扫描转运箱码' });
    if (work.tube) return refuse({ title: '箱内还有未封管的试管，请先封管' });
    enqueue({ action: 'box.seal', box: box.code }, () => {
      work.lastBox = box;
      work.box = null;
      work.sealed = { box: box.code, pending: true };
    });
  }

  /** Applies the server's answer to one scan; the outbox forgets the scan right after. */
  function answered(scan, outcome) {
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
        if (work.tube && work.tube.code === scan.tube) Object.assign(work.tube, { confirmed: body.count, capacity: body.capacity });
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

  // ---- sending the outbox ----

  let flushing = false;
  let flushAgain = false;
  let lastUploadError = '';

  async function flush() {
    if (flushing) {
      flushAgain = true;
      return;
    }
    if (!session || oneTimePassword) return;
    flushing = true;
    flushAgain = false;
    try {
      for (;;) {
        const batch = (await ScanQueue.all()).slice(0, BATCH);
        if (batch.length === 0) break;
        if (!navigator.onLine) {
          setReachable(false);
          break;
        }
        let response;
        try {
          response = await api('/api/v1/scans/batch', 'POST', batch.map(({ seq, ...scan }) => scan));
        } catch {
          setReachable(false);  // the network is down: everything stays in the outbox
          break;
        }
        setReachable(true);
        if (response.status === 401) {
          sessionEnded();
          break;
        }
        if (!response.ok || !Array.isArray(response.data) || response.data.length !== batch.length) {
          const text = problemText(response.data || { title: '服务器暂时无法保存，稍后自动重试' });
          if (text !== lastUploadError) refuse(response.data || { title: '服务器暂时无法保存，稍后自动重试' });
          lastUploadError = text;
          break;
        }
        lastUploadError = '';
        // The answers and the outbox change together, before anything else runs: a tube counted from the server's
        // count plus the outbox must never see an answered scan twice (it would look full too early).
        const done = new Set(batch.map((scan) => scan.clientId));
        batch.forEach((scan, i) => answered(scan, response.data[i]));
        pending = pending.filter((scan) => !done.has(scan.clientId));
        save();
        render();
        await ScanQueue.remove(batch.map((scan) => scan.seq));
      }
    } catch (error) {
      refuse({ title: '上传出错，稍后自动重试', detail: String((error && error.message) || error) });
    } finally {
      flushing = false;
      render();
      if (flushAgain) flush();
    }
  }

  function setReachable(value) {
    if (reachable !== value) {
      reachable = value;
      render();
    }
  }

  window.addEventListener('online', () => { reachable = true; render(); flush(); });
  window.addEventListener('offline', () => { reachable = false; render(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
  setInterval(() => { if (pending.length) flush(); }, RETRY_MS);

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
    if (kind === 'box') openBox(text);
    else if (kind === 'tube') openTube(text);
    else if (addPerson(text) === false) {
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
      addPerson(verdict.number);
    }
  });

  function hint(text, bad = false) {
    const el = $('person-hint');
    el.textContent = text || '扫码枪扫描或手输身份证号，满18位自动登记';
    el.classList.toggle('bad', bad);
  }

  const stepInput = () => ({ box: $('box-input'), tube: $('tube-input'), people: $('person-input') })[step()];

  function focusInput() {
    if (screen === 'scan') stepInput().focus({ preventScroll: true });
  }

  // A scanner types into whatever has focus: after a tap on a button, send its keys to the step's input.
  document.addEventListener('keydown', (event) => {
    if (screen !== 'scan' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
    if (event.key.length === 1 || event.key === 'Enter') stepInput().focus();
  });

  let camera = null;          // the reader's handle (js/camera-scan.js) while the camera runs
  let cameraRun = 0;          // bumped by every start and stop, so a late answer from an old run is ignored
  let lastCode = '';
  let lastSeen = 0;

  async function startCamera() {
    if (camera) return;
    const run = ++cameraRun;
    $('camera').hidden = false;
    $('camera-note').textContent = '正在打开摄像头…';
    try {
      // Citizen codes are QR, tube and box labels Code 128.
      const handle = await FangyiCamera.start({ video: $('camera-video'), onText: decoded, formats: ['QR_CODE', 'CODE_128'] });
      if (run !== cameraRun) {
        handle.stop();  // stopped while it was opening
        return;
      }
      camera = handle;
      write(STORAGE.camera, true);
      $('camera-note').textContent = '将市民码或条码对准取景框';
    } catch (error) {
      if (run !== cameraRun) return;
      stopCamera(false);
      const denied = error && error.name === 'NotAllowedError';
      refuse({ title: '无法打开摄像头', detail: denied ? '请在浏览器设置中允许使用摄像头' : String((error && error.message) || error) });
    }
    render();
  }

  function stopCamera(remember = true) {
    cameraRun++;
    if (camera) camera.stop();
    camera = null;
    $('camera').hidden = true;
    if (remember) write(STORAGE.camera, false);
    render();
  }

  function decoded(text) {
    const now = Date.now();
    const seenJustNow = text === lastCode && now - lastSeen < SAME_CODE_MS;
    lastCode = text;
    lastSeen = now;
    if (seenJustNow) return;
    const s = step();
    // Only what the step expects: the tube's own label in view while people are scanned is not a person.
    const wanted = s === 'box' ? /^B\d{10}$/i.test(text)
      : s === 'tube' ? /^T\d{10}$/i.test(text)
        : text.startsWith('FY1:') || /^\d{17}[\dXx]$/.test(text);
    if (!wanted) return;
    if (navigator.vibrate) navigator.vibrate(40);
    clearOldErrors();
    if (s === 'box') openBox(text);
    else if (s === 'tube') openTube(text);
    else addPerson(text);
  }

  $('camera-toggle').addEventListener('click', () => (camera ? stopCamera() : startCamera()));

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
    if (confirmed(event.currentTarget, '再点一次删除')) removeLast();
  });
  $('seal-tube').addEventListener('click', (event) => {
    if (confirmed(event.currentTarget, '未满，再点一次封管', () => work.tube && tubeCount() < work.tube.capacity)) sealTube();
  });
  $('seal-box').addEventListener('click', (event) => {
    if (confirmed(event.currentTarget, '再点一次封箱')) sealBox();
  });

  document.querySelectorAll('#modes button').forEach((button) => button.addEventListener('click', () => {
    work.mode = Number(button.dataset.capacity);
    save();
    render();
    focusInput();
  }));

  $('banner').addEventListener('click', () => {
    errors = [];
    renderBanner('');
  });

  // ---- drawing ----

  let drawnStep = '';

  function render() {
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
    $('people').hidden = s !== 'people' || !(work.people && work.people.length);

    const armed = (id) => $(id).dataset.armed;
    if (!armed('remove-last')) $('remove-last').textContent = '删除上一人';
    if (!armed('seal-tube')) $('seal-tube').textContent = '封管';
    if (!armed('seal-box')) $('seal-box').textContent = '封箱';
    for (const id of ['remove-last', 'seal-tube', 'seal-box']) $(id).classList.toggle('armed', Boolean(armed(id)));
    $('remove-last').disabled = s !== 'people';
    $('seal-tube').disabled = s !== 'people';
    $('seal-box').disabled = s === 'box';
    $('camera-toggle').textContent = camera ? '关闭摄像头' : '开启摄像头扫码';

    if (s !== drawnStep) {
      drawnStep = s;
      focusInput();
    }
  }

  const STATE_NAMES = { pending: '待上传', ok: '已登记', refused: '未登记', removed: '已删除' };

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

  // ---- start ----

  if ('serviceWorker' in navigator) {
    // Its scope covers /sampler itself, so the app opens with no network (see sampler-sw.js).
    navigator.serviceWorker.register('/sampler-sw.js', { scope: '/sampler' }).catch(() => { /* the app works without it, online */ });
  }

  ScanQueue.all()
    .then((scans) => { pending = scans; })
    .catch(() => refuse({ title: '手机存储不可用', detail: '离线扫码无法保存，请勿使用无痕模式' }))
    .finally(() => {
      // An expired token does not stop the work: scans still queue, and the first upload's 401 asks for a log-in.
      start();
      flush();
    });
})();
