// Which agent earns its cost: each agent's spend against the value of its confirmed outcomes, the sessions, and a
// session's requests and outcomes in order, with its own return.
import { $, api, canEdit, cell, change, el, nanos, orgPath, rows, session, usd, when } from '../lib.js';

const markup = `
  <h2 id="agents-title">Agents and sessions</h2>
  <h3 id="roi-title">Agents this month: cost against confirmed value</h3>
  <div class="scroll"><table id="roi-table" aria-labelledby="roi-title">
    <thead><tr><th scope="col">Agent</th><th scope="col" class="num">Cost</th><th scope="col" class="num">Confirmed value</th>
      <th scope="col" class="num">Outcomes (confirmed)</th><th scope="col" class="num">Value ÷ cost</th>
      <th scope="col" class="num">Cost per confirmed outcome</th></tr></thead><tbody></tbody></table></div>
  <p id="roi-empty" class="empty" hidden>No agent has spent this month. Name agents with the <code>X-Agent-ID</code>
    header, and report what they achieve with <code>POST /v1/outcomes</code>.</p>
  <h3 id="sessions-title">Sessions, latest first</h3>
  <div class="scroll"><table id="session-table" aria-labelledby="sessions-title">
    <thead><tr><th scope="col">Session</th><th scope="col">Status</th><th scope="col">Agent</th><th scope="col">Customer</th>
      <th scope="col">Last request (UTC)</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Errors</th>
      <th scope="col" class="num">Cost</th></tr></thead><tbody></tbody></table></div>
  <p id="sessions-empty" class="empty" hidden>No session yet. Send <code>X-Session-ID</code> with an agent's requests
    to follow each of its runs.</p>
  <section id="session-detail" aria-labelledby="session-title" hidden>
    <h3 id="session-title">Session</h3>
    <p id="session-summary"></p>
    <p id="session-roi" class="roi"></p>
    <div class="scroll"><table id="session-requests" aria-label="The session's requests in order">
      <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Request</th><th scope="col">Model</th>
        <th scope="col" class="num">Status</th><th scope="col" class="num">Tokens in / out</th><th scope="col" class="num">Cost</th></tr></thead>
      <tbody></tbody></table></div>
    <div class="scroll"><table id="session-outcomes" aria-label="The session's outcomes">
      <thead><tr><th scope="col">Outcome</th><th scope="col">Name</th><th scope="col" class="num">Value</th>
        <th scope="col">Status</th><th scope="col">Reviewed by</th><th scope="col" class="edit">Review</th></tr></thead>
      <tbody></tbody></table></div>
    <p id="outcomes-empty" class="empty" hidden>No outcome reported for this session.</p>
    <p id="review-status" role="status"></p>
  </section>`;

let shown = null;

/** value ÷ cost to two places, from the exact amounts; null where it would divide by zero. */
function ratio(value, cost) {
  const c = nanos(cost);
  if (c === 0n) {
    return null;
  }
  const hundredths = (nanos(value) * 100n) / c;
  return (hundredths / 100n) + '.' + String(hundredths % 100n).padStart(2, '0');
}

async function openSession(id) {
  shown = id;
  const s = await api(orgPath('/sessions/' + encodeURIComponent(id)));
  $('session-detail').hidden = false;
  $('session-title').textContent = 'Session ' + s.id;
  $('session-summary').textContent = s.status + ' · agent ' + (s.agent || '–') + ' · customer ' + (s.customer || '–')
    + ' · ' + s.request_count + ' requests, ' + s.errors + ' errors · ' + usd(s.cost_usd)
    + (s.mean_latency_ms == null ? '' : ' · mean latency ' + s.mean_latency_ms + ' ms');
  const confirmed = s.outcomes.filter((o) => o.status === 'confirmed')
    .reduce((sum, o) => sum + nanos(o.value_usd), 0n);
  const value = (confirmed / 1000000000n) + '.' + String(confirmed % 1000000000n).padStart(9, '0');
  const r = ratio(value, s.cost_usd);
  $('session-roi').textContent = 'Confirmed value ' + usd(value) + ' for ' + usd(s.cost_usd)
    + (r == null ? '' : ': ' + r + ' × its cost');
  rows($('session-requests'), s.requests, (row, q) => {
    cell(row, when(q.admitted_at));
    cell(row, q.id);
    cell(row, q.model);
    cell(row, q.status, true);
    cell(row, q.tokens.input + ' / ' + q.tokens.output, true);
    cell(row, usd(q.cost_usd), true);
  });
  rows($('session-outcomes'), s.outcomes, (row, o) => {
    cell(row, o.id);
    cell(row, o.name);
    cell(row, usd(o.value_usd), true);
    cell(row, o.status);
    cell(row, o.reviewed_by);
    const review = cell(row, canEdit() ? el('span', {},
      el('button', { type: 'button', onclick: () => reviewOutcome(o.id, 'confirm') }, 'Confirm'), ' ',
      el('button', { type: 'button', className: 'secondary', onclick: () => reviewOutcome(o.id, 'reject') }, 'Reject')) : '');
    review.className = 'edit';
  }, $('outcomes-empty'));
}

async function reviewOutcome(id, verdict) {
  await change($('review-status'), () => api(orgPath('/outcomes/' + encodeURIComponent(id) + '/' + verdict), 'POST',
    { by: session.who.name }), (o) => 'Outcome ' + o.id + ' ' + o.status + '.');
  await refresh();
}

async function refresh() {
  const [roi, sessions] = await Promise.all([api(orgPath('/roi?by=agent')), api(orgPath('/sessions?limit=50'))]);
  rows($('roi-table'), roi.groups, (row, g) => {
    cell(row, g.agent === '' ? '(none named)' : g.agent);
    cell(row, usd(g.cost_usd), true);
    cell(row, usd(g.confirmed_value_usd), true);
    cell(row, g.outcomes + ' (' + g.confirmed_outcomes + ')', true);
    cell(row, g.value_per_cost == null ? '–' : g.value_per_cost, true);
    cell(row, g.cost_per_confirmed_outcome_usd == null ? '–' : usd(g.cost_per_confirmed_outcome_usd), true);
  }, $('roi-empty'));
  rows($('session-table'), sessions.sessions, (row, s) => {
    cell(row, el('button', { type: 'button', className: 'link', onclick: () => openSession(s.id) }, s.id));
    cell(row, s.status);
    cell(row, s.agent);
    cell(row, s.customer);
    cell(row, when(s.last_request_at));
    cell(row, s.request_count, true);
    cell(row, s.errors, true);
    cell(row, usd(s.cost_usd), true);
  }, $('sessions-empty'));
  if (shown) {
    await openSession(shown).catch(() => { // another org's, or gone
      shown = null;
      $('session-detail').hidden = true;
    });
  }
}

export default {
  id: 'agents', title: 'Agents & sessions', live: true, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {},
  refresh,
};
