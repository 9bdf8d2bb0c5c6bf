// The print button of the daily report: a file, since the CSP refuses inline handlers.
document.getElementById('print').addEventListener('click', () => window.print());
