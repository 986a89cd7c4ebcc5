// Every scope with limits, its live usage against them, and the form that changes them; plans for the operator.
import { $, api, canEdit, cell, change, el, fields, orgPath, percentOf, rows, session, usd } from '../lib.js';

const SCOPES = ['team', 'customer', 'user', 'agent', 'key'];
/** The fields the form edits; the others of a limits object are kept as they are. */
const EDITED = ['monthly_budget_usd', 'daily_budget_usd', 'requests_per_minute', 'tokens_per_minute', 'enforcement'];

const markup = `
  <h2 id="budgets-title">Budgets and limits</h2>
  <p id="plan-line"></p>
  <div class="scroll"><table id="limit-table">
    <caption>Every scope with limits of its own, and what it used this period (live)</caption>
    <thead><tr><th scope="col">Scope</th><th scope="col">Monthly budget</th><th scope="col">Daily budget</th>
      <th scope="col" class="num">Requests / min</th><th scope="col" class="num">Tokens / min</th>
      <th scope="col">Enforcement</th><th scope="col" class="edit">Change</th></tr></thead><tbody></tbody></table></div>
  <form id="limit-form" class="edit filters" aria-labelledby="limit-form-title">
    <h3 id="limit-form-title">Set limits</h3>
    <div><label for="l-scope">Scope</label><select id="l-scope" name="scope">
      <option value="org">org</option>${SCOPES.map((s) => `<option value="${s}">${s}</option>`).join('')}</select></div>
    <div><label for="l-value">Value (<code>*</code>: every value without its own)</label><input id="l-value" name="value"></div>
    <div><label for="l-monthly">Monthly budget, USD</label><input id="l-monthly" name="monthly_budget_usd" inputmode="decimal"></div>
    <div><label for="l-daily">Daily budget, USD</label><input id="l-daily" name="daily_budget_usd" inputmode="decimal"></div>
    <div><label for="l-rpm">Requests per minute</label><input id="l-rpm" name="requests_per_minute" inputmode="numeric"></div>
    <div><label for="l-tpm">Tokens per minute</label><input id="l-tpm" name="tokens_per_minute" inputmode="numeric"></div>
    <div><label for="l-enforcement">Enforcement</label><select id="l-enforcement" name="enforcement">
      <option value="">hard (default)</option><option value="soft">soft: admit and mark</option>
      <option value="shadow">shadow: mark only</option></select></div>
    <div class="actions"><button type="submit">Save limits</button></div>
    <p id="limit-status" role="status"></p>
  </form>
  <p class="note">An empty field is no limit. Limits apply from the next request on every node.</p>
  <section id="plans" class="operator-only" aria-labelledby="plans-title">
    <h3 id="plans-title">Plans</h3>
    <form id="plan-choice" class="filters">
      <div><label for="plan-select">This org's plan</label><select id="plan-select" name="plan"></select></div>
      <div class="actions"><button type="submit">Put on plan</button></div>
      <p id="plan-choice-status" role="status"></p>
    </form>
    <div class="scroll"><table id="plan-table"><caption>Plans and the orgs on them</caption>
      <thead><tr><th scope="col">Plan</th><th scope="col">Monthly budget</th><th scope="col" class="num">Requests / min</th>
        <th scope="col" class="num">Orgs</th></tr></thead><tbody></tbody></table></div>
    <form id="plan-form" class="filters">
      <div><label for="p-name">Plan</label><input id="p-name" name="plan" required></div>
      <div><label for="p-monthly">Monthly budget, USD</label><input id="p-monthly" name="monthly_budget_usd" inputmode="decimal"></div>
      <div><label for="p-rpm">Requests per minute</label><input id="p-rpm" name="requests_per_minute" inputmode="numeric"></div>
      <div class="actions"><button type="submit">Save plan</button></div>
      <p id="plan-status" role="status"></p>
    </form>
  </section>`;

/** Every scope value's limits, by "scope:value" ("org" for the org's own), as the API last gave them. */
let current = {};
let plans = [];

function target(scope, value) {
  return scope === 'org' ? 'org' : scope + ':' + value;
}

/** A budget's usage bar, from the exact amounts. */
function bar(spent, budget) {
  if (budget == null) {
    return 'no limit';
  }
  const percent = percentOf(spent || '0', budget);
  return el('span', { className: 'usage' + (percent >= 100 ? ' over' : '') },
    el('progress', { max: 100, value: Math.min(percent, 100), 'aria-label': percent + ' % used' }),
    ' ' + usd(spent || '0') + ' of ' + usd(budget));
}

function limitRow(row, entry) {
  const { scope, value, limits, usage } = entry;
  cell(row, scope === 'org' ? 'org' : scope + ' ' + value);
  cell(row, bar(usage && usage.month, limits.monthly_budget_usd));
  cell(row, bar(usage && usage.day, limits.daily_budget_usd));
  cell(row, limits.requests_per_minute == null ? 'no limit' : limits.requests_per_minute, true);
  cell(row, limits.tokens_per_minute == null ? 'no limit' : limits.tokens_per_minute, true);
  cell(row, limits.enforcement || 'hard');
  const actions = el('span', {}, el('button', { type: 'button', onclick: () => edit(entry) }, 'Edit'));
  if (scope !== 'org') {
    actions.append(' ', el('button', { type: 'button', className: 'secondary', onclick: () => remove(entry) }, 'Remove'));
  }
  cell(row, canEdit() ? actions : '').className = 'edit';
}

/** Fills the form with a scope's own limits (the org's own, not those its plan adds). */
function edit(entry) {
  const own = current[target(entry.scope, entry.value)] || entry.limits;
  $('l-scope').value = entry.scope;
  $('l-value').disabled = entry.scope === 'org';
  $('l-value').value = entry.scope === 'org' ? '' : entry.value;
  $('l-monthly').value = own.monthly_budget_usd || '';
  $('l-daily').value = own.daily_budget_usd || '';
  $('l-rpm').value = own.requests_per_minute == null ? '' : own.requests_per_minute;
  $('l-tpm').value = own.tokens_per_minute == null ? '' : own.tokens_per_minute;
  $('l-enforcement').value = own.enforcement || '';
  $('l-monthly').focus();
}

function path(scope, value) {
  if (scope === 'org') {
    return orgPath('/limits');
  }
  return scope === 'key' ? orgPath('/keys/' + encodeURIComponent(value) + '/limits')
    : orgPath('/limits/' + scope + '/' + encodeURIComponent(value));
}

async function save(event) {
  event.preventDefault();
  const form = fields($('limit-form'));
  const scope = form.scope;
  const value = form.value || '';
  if (scope !== 'org' && value === '') {
    $('limit-status').textContent = 'Name the ' + scope + ' these limits are for.';
    return;
  }
  const bad = ['requests_per_minute', 'tokens_per_minute'].find((n) => form[n] != null && !/^\d+$/.test(form[n]));
  if (bad) {
    $('limit-status').textContent = 'A limit of requests or tokens is a whole number.';
    return;
  }
  const limits = { ...(current[target(scope, value)] || {}) };
  EDITED.forEach((name) => {
    const given = form[name];
    limits[name] = given == null ? null : (name.endsWith('_usd') || name === 'enforcement' ? given : Number(given));
  });
  const body = scope === 'key' ? { limits } : limits;
  await change($('limit-status'), () => api(path(scope, value), 'PUT', body),
    () => 'Saved: ' + (scope === 'org' ? 'the org' : scope + ' ' + value) + '.');
  await refresh();
}

async function remove(entry) {
  await change($('limit-status'), () => (entry.scope === 'key'
    ? api(path('key', entry.value), 'PUT', { limits: null })
    : api(path(entry.scope, entry.value), 'DELETE')), () => 'Removed the limits of ' + entry.scope + ' ' + entry.value + '.');
  await refresh();
}

async function refresh() {
  const [org, all, quota, ...scoped] = await Promise.all([api(orgPath()), api(orgPath('/limits')), api(orgPath('/quota')),
    ...SCOPES.map((s) => api(orgPath('/quota/scopes?scope=' + s)).catch(() => ({ values: [] })))]);
  const used = {};
  scoped.forEach((list, i) => (list.values || []).forEach((v) => {
    used[SCOPES[i] + ':' + v.value] = { month: v.usage.month.cost_usd, day: v.usage.day.cost_usd };
  }));
  const entries = [{ scope: 'org', value: session.org, limits: org.effective_limits,
    usage: { month: quota.usage.monthly_cost_usd, day: quota.windows.day.cost_usd } }];
  all.scopes.forEach((s) => entries.push({ scope: s.scope, value: s.value, limits: s.limits, usage: used[s.scope + ':' + s.value] }));
  all.keys.forEach((k) => entries.push({ scope: 'key', value: k.key_id, limits: k.limits, usage: used['key:' + k.key_id] }));
  current = { org: all.limits };
  entries.slice(1).forEach((e) => { current[target(e.scope, e.value)] = e.limits; });
  rows($('limit-table'), entries, limitRow);
  $('plan-line').textContent = org.plan == null ? 'This org is on no plan: its own limits are all that apply.'
    : 'This org is on the plan ' + org.plan + ': its own limits override the plan\'s, field by field.';
  if (session.who.role === 'operator') {
    await refreshPlans(org.plan);
  }
}

async function refreshPlans(chosen) {
  plans = (await api('/admin/plans')).plans;
  // Rebuilt only when the plans or the org's plan changed: the page refreshes while the user may be choosing.
  const shown = plans.map((p) => p.plan).join(',') + '|' + (chosen || '');
  if ($('plan-select').dataset.shown !== shown) {
    $('plan-select').replaceChildren(new Option('none', ''), ...plans.map((p) => new Option(p.plan, p.plan)));
    $('plan-select').value = chosen || '';
    $('plan-select').dataset.shown = shown;
  }
  rows($('plan-table'), plans, (row, p) => {
    cell(row, p.plan);
    cell(row, usd(p.limits.monthly_budget_usd));
    cell(row, p.limits.requests_per_minute == null ? 'no limit' : p.limits.requests_per_minute, true);
    cell(row, p.orgs, true);
  });
}

async function choosePlan(event) {
  event.preventDefault();
  const plan = $('plan-select').value || null;
  await change($('plan-choice-status'), () => api(orgPath(), 'PATCH', { plan }),
    () => (plan ? 'Put on ' + plan + '.' : 'Off every plan.'));
  await refresh();
}

async function savePlan(event) {
  event.preventDefault();
  const form = fields($('plan-form'));
  const existing = plans.find((p) => p.plan === form.plan);
  const limits = { ...(existing ? existing.limits : {}) };
  limits.monthly_budget_usd = form.monthly_budget_usd || null;
  limits.requests_per_minute = form.requests_per_minute == null ? null : Number(form.requests_per_minute);
  await change($('plan-status'), () => api('/admin/plans/' + encodeURIComponent(form.plan), 'PUT', limits),
    (r) => 'Saved the plan ' + r.plan + ': ' + r.orgs_updated + ' of ' + r.orgs + ' orgs told.');
  await refresh();
}

export default {
  id: 'budgets', title: 'Budgets & limits', live: true, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {
    $('limit-form').addEventListener('submit', save);
    $('plan-choice').addEventListener('submit', choosePlan);
    $('plan-form').addEventListener('submit', savePlan);
    $('l-scope').addEventListener('change', () => { $('l-value').disabled = $('l-scope').value === 'org'; });
    $('l-value').disabled = true;
  },
  refresh,
};
