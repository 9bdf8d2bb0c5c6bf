// Resident pages: scan a citizen code with the phone camera where the browser can read QR codes itself
// (BarcodeDetector); elsewhere the resident pastes the code text. No library, nothing leaves the phone.
'use strict';

(() => {
  const button = document.getElementById('scan-button');
  const scanner = document.getElementById('scanner');
  if (!button || !scanner || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;

  const form = button.closest('form');
  const video = scanner.querySelector('video');
  let stream = null;
  let timer = 0;

  function stop() {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach(track => track.stop());
    stream = null;
    scanner.hidden = true;
  }

  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      video.srcObject = stream;
      scanner.hidden = false;
      await video.play();
      timer = setInterval(async () => {
        const found = await detector.detect(video).catch(() => []);
        const code = found.map(f => f.rawValue).find(text => text.startsWith('FY1:'));
        if (code) {
          stop();
          form.elements.code.value = code;
          form.requestSubmit();
        }
      }, 250);
    } catch {
      stop();
      button.textContent = '无法打开摄像头，请粘贴市民码';
      button.disabled = true;
    }
  });
  document.getElementById('scan-cancel').addEventListener('click', stop);
})();
