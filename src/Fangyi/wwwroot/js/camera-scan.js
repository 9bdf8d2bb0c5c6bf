// The camera of Fangyi's phone and kiosk pages, the one copy of its lifecycle: open the stream, decode a frame
// every few milliseconds with @zxing/browser (copied from npm into /lib/zxing at build time), hand each code to the
// page once, free the camera while the page is hidden and open it again when the page comes back, and remember
// across reloads whether the user left it on. The decoding loop is ours, not the library's continuous scan: its
// canvas is sized once, when it starts, which can be before a camera has told its size, and then it never reads a
// code; here each frame takes the video's size as it is.

const SAME_CODE_MS = 3000;  // a code that stays in front of the camera is read once
// zxing's answers for a frame with no readable code in it.
const NOTHING_FOUND = ['NotFoundException', 'ChecksumException', 'FormatException'];

/**
 * One camera on a page. `video` shows the picture, `panel` (the frame around it) is shown while the camera is on
 * or opening, `remember` is the localStorage key that keeps "left on". `onCode(text)` gets each code once;
 * `onChange(state)` hears 'opening', 'on' and 'off'; `onError(error)` hears why it could not open (a denied
 * permission is a DOMException named NotAllowedError). `formats` names zxing BarcodeFormat members ('QR_CODE',
 * 'CODE_128'); `facingMode` picks the camera.
 */
export function cameraReader({ video, panel, remember, formats = ['QR_CODE'], facingMode = 'environment', onCode, onChange = () => {}, onError }) {
  let state = 'off';
  let handle = null;
  let run = 0;               // bumped by every start and stop, so a late answer from an old run is ignored
  let lastCode = '';
  let lastSeen = 0;
  let backWhenShown = false;

  const keep = (on) => localStorage.setItem(remember, JSON.stringify(on));
  const leftOn = () => { try { return JSON.parse(localStorage.getItem(remember)) === true; } catch { return false; } };

  function seen(text) {
    const now = Date.now();
    const again = text === lastCode && now - lastSeen < SAME_CODE_MS;
    lastCode = text;
    lastSeen = now;
    if (!again) onCode(text);
  }

  function change(next) {
    state = next;
    onChange(next);
  }

  async function start() {
    if (handle) return;
    const mine = ++run;
    panel.hidden = false;
    change('opening');
    try {
      const opened = await open({ video, onText: seen, formats, facingMode });
      if (mine !== run) {
        opened.stop();  // stopped while it was opening
        return;
      }
      handle = opened;
      keep(true);
      change('on');
    } catch (error) {
      if (mine !== run) return;
      halt(false);
      onError(error);
    }
  }

  function halt(rememberOff) {
    run++;
    if (handle) handle.stop();
    handle = null;
    panel.hidden = true;
    if (rememberOff) keep(false);
    change('off');
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden && state !== 'off') {
      backWhenShown = true;
      halt(false);
    } else if (!document.hidden && backWhenShown) {
      backWhenShown = false;
      start();
    }
  });

  // Off, and remembered off: the user turned it off.
  function stop() {
    backWhenShown = false;
    halt(true);
  }

  // Off for now (the page left the camera's screen); resume() brings it back if the user had left it on.
  function pause() {
    backWhenShown = false;
    halt(false);
  }

  return {
    get running() { return handle !== null; },
    start,
    stop,
    pause,
    resume: () => { if (leftOn()) start(); },
    toggle: () => (handle ? stop() : start()),
  };
}

function loadScript(src) {
  if (window.ZXingBrowser) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error('扫码组件加载失败'));
    document.head.append(script);
  });
}

/**
 * Draws a frame turned by `quarter` quarter turns. zxing-js misses about one citizen code in ten at a given
 * orientation (its finder-pattern search; measured on symbols of this size) yet reads nearly all of them turned
 * a quarter, so successive frames are tried at successive orientations. Code 128 labels read at 0° and 180°.
 */
function drawTurned(context, video, quarter) {
  const w = video.videoWidth;
  const h = video.videoHeight;
  const canvas = context.canvas;
  const [cw, ch] = quarter % 2 ? [h, w] : [w, h];
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  const turns = [[1, 0, 0, 1, 0, 0], [0, 1, -1, 0, h, 0], [-1, 0, 0, -1, w, h], [0, -1, 1, 0, 0, w]];
  context.setTransform(...turns[quarter]);
  context.drawImage(video, 0, 0);
  context.setTransform(1, 0, 0, 1, 0, 0);
}

/**
 * Opens the camera and starts the decoding loop; `onText(text)` gets every decoded text, repeats included.
 * Resolves to a handle whose stop() ends the loop and frees the camera.
 */
async function open({ video, onText, formats, facingMode, everyMs = 150 }) {
  const handle = { stopped: false, stream: null, timer: 0 };
  handle.stop = () => {
    handle.stopped = true;
    clearTimeout(handle.timer);
    if (handle.stream) handle.stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
  if (!navigator.mediaDevices) throw new Error('摄像头须通过 HTTPS 访问本页面');
  await loadScript('/lib/zxing/zxing-browser.min.js');
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  handle.stream = stream;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (error) {
    handle.stop();  // or the camera stays on with nothing reading it
    throw error;
  }
  const reader = new window.ZXingBrowser.BrowserMultiFormatReader(new Map());
  // Looking only for the formats the page wants keeps each frame cheap.
  reader.possibleFormats = formats.map((name) => window.ZXingBrowser.BarcodeFormat[name]);
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let turn = 0;
  const frame = () => {
    if (handle.stopped) return;
    try {
      let text = '';
      if (video.videoWidth > 0) {
        turn = (turn + 1) % 4;
        drawTurned(context, video, turn);
        try {
          text = reader.decodeFromCanvas(canvas).getText();
        } catch (error) {
          if (!NOTHING_FOUND.includes(error && error.getKind ? error.getKind() : '')) console.warn('barcode decoding failed', error);
        }
      }
      if (text) onText(text);
    } finally {
      if (!handle.stopped) handle.timer = setTimeout(frame, everyMs);
    }
  };
  frame();
  return handle;
}
