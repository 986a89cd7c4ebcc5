// The console's frame: sign-in, the pages the signed-in role may use, the org they show, and a refresh every
// 10 seconds of the page in view. Each page is a module of its own under pages/.
import { $, api, canEdit, onSignedOut, session, TOKEN } from './lib.js';
import overview from './pages/overview.js';
import agents from './pages/agents.js';
import requests from './pages/requests.js';
import budgets from './pages/budgets.js';
import keys from './pages/keys.js';
import alerts from './pages/alerts.js';
import billing from './pages/billing.js';
import audit from './pages/audit.js';
import tokens from './pages/tokens.js';
import operator from './pages/operator.js';

const PAGES = [overview, agents, requests, budgets, keys, alerts, billing, audit, tokens, operator];
const REFRESH_MS = 10000;
let timer = null;

PAGES.forEach((page) => {
  const section = document.createElement('section');
  section.id = page.id;
  section.hidden = true;
  section.setAttribute('aria-labelledby', page.id + '-title');
  section.innerHTML = page.markup; // the page's own static markup: no data goes in as HTML
  section.querySelectorAll('.scroll').forEach((s) => { s.tabIndex = 0; }); // wide tables scroll by keyboard too
  $('main').append(section);
  page.init(section);
});

/** The pages this role may use: the others are not shown at all. */
function allowed() {
  return session.who ? PAGES.filter((p) => p.roles.includes(session.who.role)) : [];
}

/** The page the address names (#keys), if this role may use it; else the first it may. */
function current() {
  const pages = allowed();
  return pages.find((p) => p.id === location.hash.slice(1)) || pages[0];
}

function showPage() {
  const page = current();
  const needsOrg = page && !page.everyOrg && session.org == null;
  PAGES.forEach((p) => { $(p.id).hidden = p !== page || needsOrg; });
  $('no-org').hidden = !needsOrg;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.page === page.id) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
}

function show(signedIn) {
  $('signin').hidden = signedIn;
  if (signedIn) {
    $('nav').replaceChildren(...allowed().map((p) => {
      const a = document.createElement('a');
      a.href = '#' + p.id;
      a.dataset.page = p.id;
      a.textContent = p.title;
      return a;
    }));
    showPage();
  } else {
    PAGES.forEach((p) => { $(p.id).hidden = true; });
    $('no-org').hidden = true;
  }
  ['nav', 'who', 'sign-out'].forEach((id) => { $(id).hidden = !signedIn; });
  // Edit controls show only to roles that change things; the plans only to the operator.
  document.body.classList.toggle('can-edit', signedIn && canEdit());
  document.body.classList.toggle('operator', signedIn && session.who.role === 'operator');
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN);
  clearInterval(timer);
  session.who = null;
  session.org = null;
  show(false);
  $('org-choice').hidden = true;
  $('signin-error').textContent = message || '';
  $('token').focus();
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN, token);
  try {
    session.who = await api('/admin/whoami');
  } catch (e) {
    return;
  }
  const { who } = session;
  $('who').textContent = who.name + ' · ' + who.role.replace('_', ' ') + (who.org ? ' of ' + who.org : '');
  await chooseOrg();
  show(true);
  await refresh();
  clearInterval(timer);
  timer = setInterval(() => refresh(true), REFRESH_MS);
}

/** A token of one org sees that org; an operator or finance of every org chooses among them. */
async function chooseOrg() {
  const { who } = session;
  const orgs = who.org ? [who.org] : (await api('/admin/orgs?limit=200')).orgs.map((o) => o.id);
  $('org-choice').hidden = who.org != null || orgs.length === 0;
  $('org-select').replaceChildren(...orgs.map((id) => new Option(id, id)));
  session.org = orgs[0] || null;
}

/** Shows the page in view afresh; on the timer, only the pages whose figures move on their own. */
async function refresh(timed = false) {
  const page = current();
  if (!page || (!page.everyOrg && session.org == null) || (timed && !page.live)) {
    return;
  }
  try {
    await page.refresh();
  } catch (e) {
    if (e.status !== 401) {
      console.error(page.id, e.message);
    }
  }
}

onSignedOut(signOut);
$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  $('token').value = '';
  signIn(token);
});
$('sign-out').addEventListener('click', () => signOut(''));
window.addEventListener('hashchange', () => {
  if (session.who) {
    showPage();
    refresh();
  }
});
$('org-select').addEventListener('change', (event) => {
  session.org = event.target.value;
  refresh();
});
window.addEventListener('resize', () => PAGES.forEach((p) => p.resize && p.resize()));

if (sessionStorage.getItem(TOKEN)) {
  signIn(sessionStorage.getItem(TOKEN));
} else {
  show(false);
}
