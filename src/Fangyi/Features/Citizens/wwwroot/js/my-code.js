// The resident's citizen code lives a few minutes (a forwarded screenshot is soon useless): fetch the next one a
// minute before this one ends, by showing the current code, and swap the QR in. No inline script, no library.
'use strict';

(() => {
  const card = document.getElementById('my-code');
  if (!card) return;
  const qr = card.querySelector('[data-testid="qr"]');
  const expiresText = card.querySelector('[data-testid="expires"]');
  const hidden = card.querySelector('input[name="code"]');
  const state = card.querySelector('[data-testid="refresh-state"]');
  const leadMs = 60_000;
  let code = card.dataset.code;
  let expires = Number(card.dataset.expires);

  function schedule() {
    const wait = Math.max(1_000, expires - Date.now() - leadMs);
    setTimeout(refresh, wait);
  }

  async function refresh() {
    try {
      const response = await fetch('/api/v1/public/citizen-code/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const next = await response.json();
      code = next.code;
      expires = Date.parse(next.expires);
      qr.innerHTML = next.qrSvg; // drawn by our own server
      hidden.value = code;
      card.dataset.code = code;
      card.dataset.expires = String(expires);
      expiresText.textContent = new Date(expires).toLocaleTimeString('zh-CN', { hour12: false });
      state.hidden = true;
      schedule();
    } catch {
      if (Date.now() >= expires) {
        state.textContent = '市民码已过期，请重新领取。';
        state.hidden = false;
        qr.style.opacity = '0.2';
        return;
      }
      state.textContent = '网络不畅，正在重试更新市民码…';
      state.hidden = false;
      setTimeout(refresh, 10_000);
    }
  }

  schedule();
})();
