// Signing in on the phone apps that share the sampler's modules (the courier's and lab's, the village worker's): the
// log-in form, and the new password a first log-in must set before anything else. The page has #login-form,
// #login-error, #login-note, #password-form and #password-error; `show` opens a screen by name, `start` opens the work.
import * as session from './session.js';
import * as outbox from './outbox.js';
import { problemText } from './banner.js';

const $ = (id) => document.getElementById(id);

export function wireSignIn({ show, start }) {
  async function logIn(username, password) {
    const signed = await session.signIn(username, password);
    if ('refused' in signed) {
      $('login-error').textContent = problemText(signed.refused);
      $('login-error').hidden = false;
      return;
    }
    if (signed.mustChangePassword) {
      show('password');
      return;
    }
    $('login-note').hidden = true;
    $('login-error').hidden = true;
    start();
    outbox.flush();
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await logIn(form.username.value.trim(), form.password.value);
      form.password.value = '';
    } catch {
      $('login-error').textContent = navigator.onLine ? '无法连接服务器，请稍后再试' : '没有网络，联网后才能登录';
      $('login-error').hidden = false;
    }
  });

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const error = $('password-error');
    if (form.newPassword.value !== form.confirm.value) {
      error.textContent = '两次输入的新密码不一致';
      error.hidden = false;
      return;
    }
    try {
      const changed = await session.changePassword(form.newPassword.value);
      if ('refused' in changed) {
        error.textContent = problemText(changed.refused);
        error.hidden = false;
        return;
      }
      await logIn(changed.username, form.newPassword.value);
      form.reset();
    } catch {
      error.textContent = '无法连接服务器，请稍后再试';
      error.hidden = false;
    }
  });
}

/** Asks for a new log-in when the server no longer takes the session, saying what waits in the outbox meanwhile. */
export function askAgain(show) {
  session.end();
  const note = $('login-note');
  const { pending } = outbox;
  note.textContent = '登录已失效，请重新登录。' + (pending.length ? `待上传的 ${pending.length} 条已保存在手机上，登录后自动上传。` : '');
  note.hidden = false;
  show('login');
}
