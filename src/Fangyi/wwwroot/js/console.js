// Small helpers shared by the console pages: element building, JSON calls that surface the problem title,
// and confirmation before destructive form posts.
'use strict';

window.fangyi = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  async function api(url, options) {
    const response = await fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(options && options.body ? { 'Content-Type': 'application/json' } : {}) },
      ...options,
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new Error((body && (body.detail || body.title)) || `请求失败（${response.status}）`);
    }
    return body;
  }

  function fill(container, ...children) {
    container.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  }

  document.addEventListener('submit', event => {
    const message = event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  return { el, api, fill };
})();
