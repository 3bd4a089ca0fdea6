// views/login.js — POST /auth/login; the server sets the session cookie.
import { post, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { html, formData } from '../util.js';

export function render(el, { loggedIn }) {
  el.innerHTML = html`<div class="login-box">
    <h1>${t('login.title')}</h1>
    <p class="muted">${t('app.subtitle')}</p>
    <form id="login-form" autocomplete="on">
      <label>${t('login.login')}<input name="login" id="login" autocomplete="username" required autofocus></label>
      <label>${t('login.password')}<input name="password" id="password" type="password" autocomplete="current-password" required></label>
      <div class="alert error" id="login-error" data-testid="login-error" role="alert" hidden></div>
      <button class="btn primary" type="submit" id="login-submit">${t('login.submit')}</button>
    </form></div>`.toString();
  const form = el.querySelector('#login-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = el.querySelector('#login-error');
    box.hidden = true;
    const btn = el.querySelector('#login-submit');
    btn.disabled = true;
    const f = formData(form);
    try {
      const r = await post('/auth/login', { login: f.login, password: form.password.value });
      loggedIn(r.user, r.csrf);
    } catch (err) {
      box.textContent = err instanceof ApiError && err.status === 401 ? t('login.failed') : (t('common.error') + ': ' + err.message);
      box.hidden = false;
      btn.disabled = false;
    }
  });
}
