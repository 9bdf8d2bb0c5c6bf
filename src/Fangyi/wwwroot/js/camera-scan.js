// The camera of Fangyi's phone and kiosk pages, the one copy of its lifecycle: open the stream, decode a frame
// every few milliseconds with @zxing/browser (copied from npm into /lib/zxing at build time), hand each code to the
// page once, free the camera while the page is hidden and open it again when the page comes back, and remember
// across reloads whether the user left it on. The decoding loop is ours, not the library's continuous scan: its
// canvas is sized once, when it starts, which can be before a camera has told its size, and then it never reads a
// code; here each frame takes the video's size as it is.

const SAME_CODE_MS = 3000;  // a code that stays in front of the camera is read once
// zxing's answers for a frame with no readable code in it.
import { binarize } from '/js/image-clean.js';

const NOTHING_FOUND = ['NotFoundException', 'ChecksumException', 'FormatException'];

/**
 * One camera on a page. `video` shows the picture, `panel` (the frame around it) is shown while the camera is on
 * or opening, `remember` is the localStorage key that keeps "left on". `onCode(text)` gets each code once;
 * `onChange(state)` hears 'opening', 'on' and 'off'; `onError(error)` hears why it could not open (a denied
 * permission is a DOMException named NotAllowedError). `formats` names zxing BarcodeFormat members ('QR_CODE',
 * 'CODE_128'); `facingMode` picks the camera. readIdCards() turns it to reading the number off an ID card (each
 * number given to `onCode` once two frames agreed on it), readCodes() back.
 */
export function cameraReader({ video, panel, remember, formats = ['QR_CODE'], facingMode = 'environment', onCode, onChange = () => {}, onError }) {
  let state = 'off';
  let handle = null;
  let run = 0;               // bumped by every start and stop, so a late answer from an old run is ignored
  let lastCode = '';
  let lastSeen = 0;
  let backWhenShown = false;
  let reading = 'codes';

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
      const opened = await open({ video, onText: seen, formats, facingMode, reading: () => reading });
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

  // What the camera looks for: codes (QR, barcodes) or the number on an ID card; it opens if it was off.
  function read(kind) {
    reading = kind;
    onChange(state);
    if (kind === 'id-card') import('/js/id-card-ocr.js').then((module) => module.warmUp());
    start();
  }

  return {
    get running() { return handle !== null; },
    get reading() { return reading; },
    readCodes: () => read('codes'),
    readIdCards: () => read('id-card'),
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
 * Draws a part of the frame (`crop`, in video pixels), enlarged `zoom` times and turned by `quarter` quarter turns.
 * zxing-js misses about one citizen code in ten at a given orientation (its finder-pattern search; measured on
 * symbols of this size) yet reads nearly all of them turned a quarter, so successive frames are tried at successive
 * orientations. Code 128 labels read at 0° and 180°.
 */
function drawTurned(context, video, quarter, crop, zoom) {
  const w = crop.w * zoom;
  const h = crop.h * zoom;
  const canvas = context.canvas;
  const [cw, ch] = quarter % 2 ? [h, w] : [w, h];
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  const turns = [[1, 0, 0, 1, 0, 0], [0, 1, -1, 0, h, 0], [-1, 0, 0, -1, w, h], [0, -1, 1, 0, 0, w]];
  context.setTransform(...turns[quarter]);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(video, crop.x, crop.y, crop.w, crop.h, 0, 0, w, h);
  context.setTransform(1, 0, 0, 1, 0, 0);
}

/**
 * The ways a frame is looked at, one per frame in turn, each cleaned by binarize() first (grain, uneven light):
 * its middle quarter enlarged twice (a code held at arm's length, down to a quarter of the frame's height, which
 * the user aims at the middle of the viewfinder), and the whole frame (a code held close). Cleaned, a clean code
 * reads as well as it did raw.
 */
const VIEWS = [
  { zoom: 2, crop: (w, h) => ({ x: Math.round(w / 4), y: Math.round(h / 4), w: Math.round(w / 2), h: Math.round(h / 2) }) },
  { zoom: 1, crop: (w, h) => ({ x: 0, y: 0, w, h }) },
];

/**
 * Opens the camera and starts the decoding loop; `onText(text)` gets every decoded text, repeats included, and
 * `reading()` says what to look for in each frame: 'codes' (zxing) or 'id-card' (the number, by OCR).
 * Resolves to a handle whose stop() ends the loop and frees the camera.
 */
async function open({ video, onText, formats, facingMode, reading, everyMs = 40 }) {
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
  let count = 0;
  let ocr = null;
  const frame = async () => {
    if (handle.stopped) return;
    try {
      let text = '';
      if (video.videoWidth > 0 && reading() === 'id-card') {
        // One frame at a time: the next is taken when the worker has answered (a few hundred ms).
        if (!ocr) ocr = import('/js/id-card-ocr.js').then((module) => module.idCardOcr());
        try {
          text = await (await ocr).read(video);
        } catch (error) {
          ocr = null;
          console.warn('ID card reading failed', error);
        }
        if (handle.stopped) return;
      } else if (video.videoWidth > 0) {
        const view = VIEWS[count % VIEWS.length];
        const turn = Math.floor(count / VIEWS.length) % 4;  // each view meets every turn
        count++;
        const crop = view.crop(video.videoWidth, video.videoHeight);
        // Enlarged up to about a VGA frame's width: a 720p camera already gives the small code its pixels.
        const zoom = view.zoom === 1 ? 1 : Math.max(1, Math.min(view.zoom, 720 / crop.w));
        drawTurned(context, video, turn, crop, zoom);
        binarize(context);
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
