// The division tree, loaded one level at a time, plus division search and address matching.
'use strict';

(() => {
  const { el, api, fill } = window.fangyi;
  const levels = { 1: '省级', 2: '地级', 3: '县级', 4: '乡级', 5: '村级', province: '省级', city: '地级', county: '县级', township: '乡级', village: '村级' };
  const levelName = level => levels[typeof level === 'string' ? level.toLowerCase() : level] || '';

  function node(division, open) {
    const children = el('ul', { class: 'tree-children', hidden: true });
    const toggle = el('button', { type: 'button', class: 'tree-toggle', 'aria-expanded': 'false', 'aria-label': `展开 ${division.name}`, disabled: !division.hasChildren }, division.hasChildren ? '+' : '·');
    let loaded = false;
    async function expand() {
      const opening = children.hidden;
      if (opening && !loaded) {
        toggle.disabled = true;
        fill(children, el('li', { class: 'muted' }, '加载中…'));
        children.hidden = false;
        try {
          const list = await api(`/api/v1/divisions/${division.code}/children`);
          fill(children, list.map(child => node(child, false)));
          loaded = true;
        } catch (error) {
          fill(children, el('li', { class: 'error' }, error.message));
        }
        toggle.disabled = false;
      } else {
        children.hidden = !opening;
      }
      toggle.textContent = children.hidden ? '+' : '−';
      toggle.setAttribute('aria-expanded', String(!children.hidden));
    }
    if (division.hasChildren) toggle.addEventListener('click', expand);
    const item = el('li', { class: 'tree-node', 'data-code': division.code },
      el('div', { class: 'tree-row', title: division.path },
        toggle,
        el('span', { class: 'tree-name' }, division.name),
        el('span', { class: 'tag' }, division.levelName || levelName(division.level)),
        el('span', { class: 'code' }, division.code)),
      children);
    if (open) expand();
    return item;
  }

  const tree = document.getElementById('division-tree');
  if (tree) {
    const root = JSON.parse(tree.dataset.root);
    fill(tree, node(root, true));
  }

  const search = document.getElementById('division-search');
  const searchResults = document.getElementById('division-search-results');
  search.addEventListener('submit', async event => {
    event.preventDefault();
    const q = new FormData(search).get('q').trim();
    const url = `/api/v1/divisions/search?q=${encodeURIComponent(q)}&within=${search.dataset.within}&limit=50`;
    try {
      const list = await api(url);
      fill(searchResults, list.length === 0
        ? el('p', { class: 'muted' }, '本辖区内没有名称包含“', q, '”的区划。')
        : el('table', { class: 'grid compact' },
            el('thead', {}, el('tr', {}, el('th', {}, '完整路径'), el('th', {}, '级别'), el('th', {}, '代码'))),
            el('tbody', {}, list.map(d => el('tr', {},
              el('td', {}, d.path), el('td', { class: 'nowrap' }, d.levelName), el('td', { class: 'code nowrap' }, d.code))))));
    } catch (error) {
      fill(searchResults, el('p', { class: 'error' }, error.message));
    }
  });

  const resolve = document.getElementById('address-resolve');
  const resolved = document.getElementById('address-result');
  const statuses = ['matched', 'ambiguous', 'unmatched'];
  const percent = value => `${Math.round((value || 0) * 100)}%`;
  resolve.addEventListener('submit', async event => {
    event.preventDefault();
    const address = new FormData(resolve).get('address').trim();
    try {
      const match = await api('/api/v1/addresses/resolve', { method: 'POST', body: JSON.stringify({ address }) });
      const status = typeof match.status === 'number' ? statuses[match.status] : String(match.status).toLowerCase();
      const candidates = (match.candidates || []).filter(c => c && c.code);
      const parts = [];
      const corrections = match.corrections || [];
      // A name read as a near division name (homophone or one-character slip): say so, the person checks it.
      const corrected = corrections.length > 0
        ? el('p', { class: 'alert alert-warn', 'data-corrections': '' }, '已纠正：', corrections.map(c => `${c.written}→${c.name}`).join('，'))
        : null;
      if (status === 'matched') {
        parts.push(el('div', { class: 'alert alert-ok' }, '已匹配'),
          el('dl', { class: 'facts' },
            el('dt', {}, '区划'), el('dd', {}, match.path, ' ', el('span', { class: 'code' }, match.code)),
            el('dt', {}, '级别'), el('dd', {}, levelName(match.level)),
            el('dt', {}, '置信度'), el('dd', {}, percent(match.confidence)),
            match.remainder ? [el('dt', {}, '详细地址'), el('dd', {}, match.remainder)] : null));
        if (corrected) parts.push(corrected);
      } else if (status === 'ambiguous') {
        parts.push(el('div', { class: 'alert alert-warn' }, '地址对应多个区划，请从候选中确认：'));
        if (corrected) parts.push(corrected);
      } else {
        parts.push(el('div', { class: 'alert alert-error' }, '未能匹配到区划，请补充县、乡镇或村名称后重试。'));
      }
      if (status !== 'matched' && candidates.length > 0) {
        parts.push(el('table', { class: 'grid compact' },
          el('thead', {}, el('tr', {}, el('th', {}, '候选区划'), el('th', {}, '代码'), el('th', { class: 'num' }, '置信度'))),
          el('tbody', {}, candidates.map(c => el('tr', {},
            el('td', {}, c.path), el('td', { class: 'code nowrap' }, c.code), el('td', { class: 'num' }, percent(c.confidence)))))));
      }
      fill(resolved, parts);
    } catch (error) {
      fill(resolved, el('p', { class: 'error' }, error.message));
    }
  });
})();
