// The 18-digit number read off a second-generation resident ID card by the phone camera (no card reader needed).
// Tesseract (npm tesseract.js, its WebAssembly core and the English LSTM model, all copied to /lib/tesseract at build
// time) runs in a Web Worker on the band at the bottom of the card where the number is printed. A reading counts
// only when it is a valid number (check character, a real province, a real birth date) and a second frame read the
// same; otherwise the camera keeps reading, and the keypad stays where it was.
import * as Id from '/js/id-number.js';
import { binarize } from '/js/image-clean.js';

/**
 * Where the card lies in the frame when it fills the viewfinder's card outline (.id-card-guide: 80 % of the frame's
 * width, centred), and where its number is printed on it (GB/T 16408's layout: the right two thirds of the card,
 * at 86 % of its height); the band is generous so that a card held a little off or tilted still has its number in it.
 */
export const CARD = { width: 0.8, aspect: 85.6 / 54 };
const BAND = { left: 0.3, right: 0.98, top: 0.74, bottom: 0.97 };
const BAND_HEIGHT_PX = 120;  // the band enlarged to this height: digits of about 30 px, as Tesseract likes them
const AGREEING_FRAMES = 2;
const REMEMBERED_READINGS = 6;

let worker = null;

function tesseract() {
  if (!worker) {
    worker = (async () => {
      if (!window.Tesseract) {
        await new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = '/lib/tesseract/tesseract.min.js';
          script.onload = resolve;
          script.onerror = () => reject(new Error('身份证识读组件加载失败'));
          document.head.append(script);
        });
      }
      // Local paths only: by default tesseract.js fetches its core and models from a CDN.
      const created = await window.Tesseract.createWorker('eng', 1, {
        workerPath: '/lib/tesseract/worker.min.js',
        corePath: '/lib/tesseract/tesseract-core-simd-lstm.wasm.js',
        langPath: '/lib/tesseract',
        gzip: true,
        cacheMethod: 'none',
        workerBlobURL: false,
      });
      await created.setParameters({ tessedit_char_whitelist: '0123456789X', tessedit_pageseg_mode: '7' });
      return created;
    })();
    worker.catch(() => { worker = null; });
  }
  return worker;
}

/** Starts the worker and loads its model ahead of the first frame (a second or two on a phone). */
export function warmUp() {
  tesseract().catch(() => {});
}

/** The band of a frame (a video, or a canvas), enlarged and cleaned, on `canvas`. */
export function drawBand(canvas, frame) {
  const w = frame.videoWidth || frame.width;
  const h = frame.videoHeight || frame.height;
  const cardW = w * CARD.width;
  const cardH = cardW / CARD.aspect;
  const cardX = (w - cardW) / 2;
  const cardY = (h - cardH) / 2;
  const sx = cardX + cardW * BAND.left;
  const sy = cardY + cardH * BAND.top;
  const sw = cardW * (BAND.right - BAND.left);
  const sh = cardH * (BAND.bottom - BAND.top);
  const zoom = BAND_HEIGHT_PX / sh;
  canvas.width = Math.round(sw * zoom);
  canvas.height = BAND_HEIGHT_PX;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(frame, sx, sy, sw, sh, 0, 0, canvas.width, canvas.height);
  binarize(context);
  return canvas;
}

/** The valid numbers in what Tesseract saw (an 18-character window of it; spaces dropped). */
export function numbersIn(text) {
  const letters = String(text || '').toUpperCase().replace(/[^0-9X]/g, '');
  const found = [];
  for (let i = 0; i + 18 <= letters.length; i++) {
    const number = letters.slice(i, i + 18);
    if (Id.validate(number) === '' && Id.realProvince(number) && !found.includes(number)) found.push(number);
  }
  return found;
}

/**
 * One reader per camera: read(frame) looks at one frame (the video) and resolves to the number once two frames
 * have agreed on it (and then to '' until another card's number is accepted), or to '' meanwhile.
 */
export function idCardOcr() {
  const canvas = document.createElement('canvas');
  let readings = [];
  let accepted = '';
  return {
    /** What the OCR made of the last frame, for diagnosis. */
    lastText: '',
    canvas,
    async read(frame) {
      if (!(frame.videoWidth || frame.width)) return '';
      const ocr = await tesseract();
      const { data } = await ocr.recognize(drawBand(canvas, frame));
      this.lastText = data.text;
      const numbers = numbersIn(data.text);
      readings = [...readings, numbers].slice(-REMEMBERED_READINGS);
      const agreed = numbers.find((n) => readings.filter((r) => r.includes(n)).length >= AGREEING_FRAMES);
      if (!agreed || agreed === accepted) return '';
      accepted = agreed;
      return agreed;
    },
    /** Forget the readings: the next card starts afresh. */
    reset() {
      readings = [];
      accepted = '';
    },
  };
}
