// views/users.js — GET/POST /users and POST /users/{id}/tokens: accounts and API tokens (admin).
// A new token is shown once, in this page only: it is never kept (not in the URL, not in storage).
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { html, esc, table, fmtInt, errorBox, formData } from '../util.js';

const ROLES = ['facility', 'reviewer', 'manager', 'admin'];

let flash = null;

function cols() {
  return [
    { label: '#', num: true, key: 'id' },
    { label: t('f.login'), render: (u) => html`<span class="mono">${u.login}</span>` },
    { label: t('f.name'), key: 'name' },
    { label: t('f.role'), render: (u) => html`<span class="badge role-${u.role}">${t('role.' + u.role)}</span>` },
    { label: t('f.facility_code'), key: 'facility' },
    { label: t('f.province'), key: 'province' },
    { label: t('f.active'), render: (u) => (u.active ? t('common.yes') : html`<span class="badge neg">${t('users.inactive')}</span>`) },
    { label: '', render: (u) => html`<button type="button" class="btn small" data-token-user="${u.id}" data-login="${u.login}">${t('users.token_btn')}</button>` },
  ];
}

function tokenForm(id, login) {
  return html`<h2>${t('users.token_for', { login })}</h2>
    <form id="token-form" class="panel-form" data-user="${id}">
      <label class="grow">${t('f.label')}<input name="label" id="token-label" maxlength="100" placeholder="${t('users.token_label_hint')}"></label>
      <button class="btn primary" type="submit" id="token-submit">${t('users.token_issue')}</button>
      <button class="btn" type="button" data-token-close>${t('common.cancel')}</button>
      <div class="form-msg" role="status"></div>
    </form>`;
}

function tokenShown(login, r) {
  return html`<h2>${t('users.token_issued', { login })}${r.label ? html` <span class="muted">— ${r.label}</span>` : ''}</h2>
    <div class="alert warn" role="alert" data-testid="token-warning">${t('users.token_once')}</div>
    <div class="tokenbox">
      <input type="text" readonly class="mono" id="token-value" data-testid="token-value" value="${r.token}" aria-label="API token" spellcheck="false">
      <button type="button" class="btn primary" id="token-copy">${t('common.copy')}</button>
      <button type="button" class="btn" data-token-close>${t('common.close')}</button>
      <span class="form-msg" role="status" id="token-copied"></span>
    </div>
    <p class="muted small">${t('users.token_usage')}</p>`;
}

async function copy(input) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch (_) {
    try { return document.execCommand('copy'); } catch (__) { return false; }
  }
}

function wireToken(el) {
  const panel = el.querySelector('#token-panel');
  const close = () => { panel.hidden = true; panel.replaceChildren(); };
  el.querySelectorAll('[data-token-user]').forEach((b) => b.addEventListener('click', () => {
    panel.innerHTML = tokenForm(b.dataset.tokenUser, b.dataset.login).toString();
    panel.hidden = false;
    const form = panel.querySelector('#token-form');
    panel.querySelector('[data-token-close]').addEventListener('click', close);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const msg = form.querySelector('.form-msg');
      const btn = form.querySelector('#token-submit');
      msg.textContent = t('common.loading'); msg.className = 'form-msg';
      btn.disabled = true;
      try {
        const v = formData(form);
        const r = await post('/users/' + encodeURIComponent(form.dataset.user) + '/tokens', v.label ? { label: v.label } : {});
        panel.innerHTML = tokenShown(b.dataset.login, r).toString();
        const input = panel.querySelector('#token-value');
        input.addEventListener('focus', () => input.select());
        panel.querySelector('#token-copy').addEventListener('click', async () => {
          const ok = await copy(input);
          panel.querySelector('#token-copied').textContent = ok ? t('common.copied') : '';
        });
        panel.querySelector('[data-token-close]').addEventListener('click', close);
        input.select();
      } catch (err) {
        btn.disabled = false;
        msg.textContent = (err.status ? err.status + ': ' : '') + err.message; msg.className = 'form-msg error';
      }
    });
    panel.scrollIntoView({ block: 'nearest' });
    panel.querySelector('#token-label').focus();
  }));
}

export async function render(el, ctx) {
  if (ctx.user.role !== 'admin') {
    el.innerHTML = html`<h1>${t('users.title')}</h1>${errorBox({ status: 403 })}`.toString();
    return;
  }
  const d = await get('/users');
  const users = d.users || [];
  const f = flash; flash = null;
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('users.title')}</h1><span class="count" data-testid="users-total">${t('users.total', { total: fmtInt(users.length) })}</span></div>
    ${f ? html`<div class="alert ok" role="status" data-testid="flash">${f}</div>` : ''}
    <section class="card"><h2>${t('users.new')}</h2>
      <form id="user-form" class="panel-form" data-testid="user-form" autocomplete="off">
        <label>${t('f.login')}<input name="login" id="user-login" size="14" required maxlength="63" autocomplete="off"></label>
        <label>${t('f.name')}<input name="name" id="user-name" size="24" required maxlength="127"></label>
        <label>${t('f.role')}<select name="role" id="user-role">${ROLES.map((r) => html`<option value="${r}">${t('role.' + r)}</option>`)}</select></label>
        <label>${t('f.facility_code')}<input name="facility" id="user-facility" size="7" maxlength="15" placeholder="${t('users.facility_hint')}"></label>
        <label>${t('f.province')}<input name="province" id="user-province" size="4" maxlength="7" placeholder="${t('users.province_hint')}"></label>
        <label>${t('f.password')}<input type="password" name="password" id="user-password" size="14" required minlength="8" autocomplete="new-password" placeholder="${t('users.password_hint')}"></label>
        <button class="btn primary" type="submit" id="user-submit">${t('common.submit')}</button>
        <div class="form-msg" role="status" data-testid="user-form-msg"></div>
      </form></section>
    <section class="card token-panel" id="token-panel" data-testid="token-panel" hidden></section>
    ${table(cols(), users, { testid: 'users-table', rowAttrs: (u) => `data-user-login="${esc(u.login)}" class="${u.active ? '' : 'muted'}"` })}`.toString();

  wireToken(el);
  const form = el.querySelector('#user-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formData(form);
    const body = { login: v.login, name: v.name, role: v.role, password: v.password };
    if (v.facility) body.facility = v.facility;
    if (v.province) body.province = v.province;
    const msg = form.querySelector('.form-msg');
    const btn = form.querySelector('#user-submit');
    msg.textContent = t('common.loading'); msg.className = 'form-msg';
    btn.disabled = true;
    try {
      const r = await post('/users', body);
      flash = t('users.added', { login: r.user.login });
      ctx.refresh();
    } catch (err) {
      btn.disabled = false;
      msg.textContent = (err.status ? err.status + ': ' : '') + err.message; msg.className = 'form-msg error';
    }
  });
}
