// The camera reader shared by Fangyi's phone and kiosk pages: opens a camera, decodes one frame every few
// milliseconds with @zxing/browser (copied from npm into /lib/zxing at build time) and hands each text it reads
// to the page. The loop is ours, not the library's continuous scan: its canvas is sized once, when it starts,
// which can be before a camera has told its size, and then it never reads a code; here each frame takes the
// video's size as it is.
(function (global) {
  'use strict';

  // zxing's answers for a frame with no readable code in it.
  const NOTHING_FOUND = ['NotFoundException', 'ChecksumException', 'FormatException'];

  function loadScript(src) {
    if (global.ZXingBrowser) return Promise.resolve();
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
   * Starts reading: `video` shows the picture, `onText(text)` gets every decoded text (the page decides what a
   * repeat is), `formats` names zxing BarcodeFormat members ('QR_CODE', 'CODE_128'), `facingMode` picks the
   * camera. Resolves to a handle whose stop() ends the loop and frees the camera; a stop() while the camera is
   * still opening is honoured too.
   */
  async function start({ video, onText, formats = ['QR_CODE'], facingMode = 'environment', everyMs = 150 }) {
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
    if (handle.stopped) {
      handle.stop();
      return handle;
    }
    video.srcObject = stream;
    await video.play();
    const reader = new global.ZXingBrowser.BrowserMultiFormatReader(new Map());
    // Looking only for the formats the page wants keeps each frame cheap.
    reader.possibleFormats = formats.map((name) => global.ZXingBrowser.BarcodeFormat[name]);
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

  global.FangyiCamera = { start };
})(window);
