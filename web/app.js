// app.js — the single-page app: session, header, hash router.
// Routes (#/...): login, queue, claims, claims/F/K, providers, providers/F,
// dashboard, appeals, audits, audits/ID, eligibility, drugs, submit, users, settlements, settlements/F/P, contrib.
import { get, post, setCsrf, onUnauthorized, ApiError } from './api.js';
import { t, getLang, setLang, languages } from './i18n.js';
import { html, esc, errorBox } from './util.js';
import { destroyCharts } from './charts.js';
import * as loginView from './views/login.js';
import * as queueView from './views/queue.js';
import * as claimsView from './views/claims.js';
import * as claimView from './views/claim.js';
import * as providersView from './views/providers.js';
import * as providerView from './views/provider.js';
import * as dashboardView from './views/dashboard.js';
import * as appealsView from './views/appeals.js';
import * as auditsView from './views/audits.js';
import * as eligibilityView from './views/eligibility.js';
import * as drugsView from './views/drugs.js';
import * as submitView from './views/submit.js';
import * as usersView from './views/users.js';
import * as settlementsView from './views/settlements.js';
import * as settlementView from './views/settlement.js';
import * as contribView from './views/contrib.js';

const state = { user: null, reasons: null };

const NAV = {
  facility: ['claims', 'submit', 'appeals', 'eligibility', 'settlements'],
  reviewer: ['queue', 'dashboard', 'providers', 'drugs', 'appeals', 'audits', 'claims', 'settlements', 'contrib'],
  manager: ['dashboard', 'providers', 'drugs', 'queue', 'appeals', 'audits', 'claims', 'settlements', 'contrib'],
  admin: ['dashboard', 'providers', 'drugs', 'queue', 'appeals', 'audits', 'claims', 'settlements', 'contrib', 'submit', 'users'],
};

function home(user) {
  return user.role === 'facility' ? 'claims' : user.role === 'reviewer' ? 'queue' : 'dashboard';
}

function parseHash() {
  let h = location.hash.replace(/^#\/?/, '');
  let q = '';
  const i = h.indexOf('?');
  if (i >= 0) { q = h.slice(i + 1); h = h.slice(0, i); }
  const segs = h.split('/').filter(Boolean).map(decodeURIComponent);
  return { segs, params: new URLSearchParams(q) };
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function setParams(route, obj) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  navigate('#/' + route + (s ? '?' + s : ''));
}

async function reasons() {
  if (!state.reasons) {
    const r = await get('/reasons');
    state.reasons = r.reasons || [];
  }
  return state.reasons;
}

function renderHeader(active) {
  const hdr = document.getElementById('top');
  const u = state.user;
  const langSel = html`<label class="lang"><span class="sr">${t('lang.label')}</span>
    <select id="lang" data-testid="lang" aria-label="${t('lang.label')}">${languages.map((l) => html`<option value="${l}" ${l === getLang() ? 'selected' : ''}>${t('lang.' + l)}</option>`)}</select></label>`;
  const nav = u ? (NAV[u.role] || []).map((r) => {
    const label = r === 'claims' && u.role !== 'facility' ? t('nav.allclaims') : t('nav.' + r);
    return html`<a href="#/${r}" class="${r === active ? 'active' : ''}" data-nav="${r}">${label}</a>`;
  }) : '';
  const who = u ? html`<span class="who"><span data-testid="user-name">${u.name || u.login}</span>
      <span class="role" data-testid="user-role">${t('role.' + u.role)}${u.facility ? ' · ' + u.facility : ''}${u.province ? ' · ' + u.province : ''}</span></span>
      <button type="button" class="btn small" id="logout" data-testid="logout">${t('logout')}</button>` : '';
  hdr.innerHTML = html`<div class="brand"><span class="logo">GĐ</span><span>${t('app.title')}</span></div>
    <nav>${nav}</nav><div class="userbox">${langSel}${who}</div>`.toString();
  document.title = t('app.title');
  hdr.querySelector('#lang').addEventListener('change', (e) => { setLang(e.target.value); render(); });
  const lo = hdr.querySelector('#logout');
  if (lo) lo.addEventListener('click', logout);
}

async function logout() {
  try { await post('/auth/logout'); } catch (_) { /* gone already */ }
  state.user = null;
  setCsrf('');
  navigate('#/login');
}

export function loggedIn(user, csrf) {
  state.user = user;
  setCsrf(csrf);
  navigate('#/' + home(user));
}

async function render() {
  destroyCharts();
  const { segs, params } = parseHash();
  const main = document.getElementById('view');
  const el = document.createElement('div');
  el.className = 'page';
  main.replaceChildren(el);
  if (!state.user || segs[0] === 'login') {
    if (state.user && segs[0] === 'login') { navigate('#/' + home(state.user)); return; }
    renderHeader(null);
    document.body.classList.add('anon');
    loginView.render(el, { loggedIn });
    return;
  }
  document.body.classList.remove('anon');
  const route = segs[0] || home(state.user);
  renderHeader(route);
  const ctx = {
    user: state.user, params, segs, navigate, reasons,
    setParams: (obj) => setParams((segs.length ? segs : [route]).map(encodeURIComponent).join('/'), obj),
    refresh: render,
  };
  let view = null;
  switch (route) {
    case 'queue': view = queueView; break;
    case 'claims': view = segs.length >= 3 ? claimView : claimsView; break;
    case 'providers': view = segs.length >= 2 ? providerView : providersView; break;
    case 'dashboard': view = dashboardView; break;
    case 'appeals': view = appealsView; break;
    case 'audits': view = auditsView; break;
    case 'eligibility': view = eligibilityView; break;
    case 'drugs': view = drugsView; break;
    case 'submit': view = submitView; break;
    case 'users': view = usersView; break;
    case 'settlements': view = segs.length >= 3 ? settlementView : settlementsView; break;
    case 'contrib': view = contribView; break;
    default: break;
  }
  if (!view) {
    el.innerHTML = html`<h1>${t('notfound.title')}</h1><p class="alert" data-testid="not-found">${t('notfound.page')}</p>`.toString();
    return;
  }
  el.innerHTML = html`<p class="muted">${t('common.loading')}</p>`.toString();
  try {
    await view.render(el, ctx);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    el.innerHTML = errorBox(e).toString();
    console.error(e);
  }
}

onUnauthorized(() => {
  state.user = null;
  setCsrf('');
  if (!location.hash.startsWith('#/login')) location.hash = '#/login';
});

async function start() {
  setLang(getLang());
  try {
    const me = await get('/auth/me');
    state.user = me.user;
    setCsrf(me.csrf);
  } catch (_) {
    state.user = null;
  }
  window.addEventListener('hashchange', render);
  render();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('[data-back]');
  if (a) { e.preventDefault(); history.back(); }
});

window.gd = { state, esc };
start();
