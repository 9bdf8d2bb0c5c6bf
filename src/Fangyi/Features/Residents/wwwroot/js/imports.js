// Follows a running import once a second until it is done, then lists the first refused rows.
'use strict';

(() => {
  const { el, api, fill } = window.fangyi;
  const view = document.getElementById('import-progress');
  if (!view) return;
  const columns = JSON.parse(view.dataset.columns);
  const shown = Number(view.dataset.shown);
  const text = view.querySelector('.progress-text');
  const bar = view.querySelector('.progress');
  const field = name => view.querySelector(`[data-field="${name}"]`);
  const number = n => Number(n).toLocaleString('zh-CN');

  function show(status) {
    field('processed').textContent = number(status.processed);
    if (status.state === 'running') {
      bar.className = 'progress running';
      text.textContent = `正在导入，已处理 ${number(status.processed)} 行…`;
      return false;
    }
    if (status.state === 'failed') {
      bar.className = 'progress failed';
      text.textContent = status.failure || '导入失败';
      return true;
    }
    const report = status.report;
    bar.className = 'progress done';
    text.textContent = `导入完成：共 ${number(report.rows)} 行，成功 ${number(report.created + report.updated + report.unchanged)} 行，拒绝 ${number(report.refused)} 行。`;
    field('processed').textContent = number(report.rows);
    for (const name of ['created', 'updated', 'unchanged', 'refused']) field(name).textContent = number(report[name]);
    if (report.errors.length > 0) {
      const box = view.querySelector('.import-errors');
      fill(box.querySelector('tbody'), report.errors.slice(0, shown).map(e =>
        el('tr', {}, el('td', { class: 'num' }, e.row), el('td', {}, columns[e.column] || e.column), el('td', {}, e.reason))));
      box.querySelector('.error-report').href = status.errorReportUrl;
      box.hidden = false;
    }
    return true;
  }

  async function poll() {
    try {
      if (show(await api(`/api/v1/imports/${view.dataset.job}`))) return;
    } catch (error) {
      text.textContent = error.message;
      return;
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
