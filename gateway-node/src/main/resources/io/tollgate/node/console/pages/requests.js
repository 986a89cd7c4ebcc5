// The request log, newest first and filtered as the form says, and the requests the org refused, with why.
import { $, api, cell, fields, orgPath, rows, usd, when } from '../lib.js';

const markup = `
  <h2 id="requests-title">Requests</h2>
  <form id="request-filters" class="filters">
    <div><label for="f-agent">Agent</label><input id="f-agent" name="agent"></div>
    <div><label for="f-session">Session</label><input id="f-session" name="session"></div>
    <div><label for="f-customer">Customer</label><input id="f-customer" name="customer"></div>
    <div><label for="f-model">Model</label><input id="f-model" name="model"></div>
    <div><label for="f-outcome">Outcome</label><input id="f-outcome" name="outcome"></div>
    <div class="actions"><button type="submit">Filter</button></div>
  </form>
  <div class="scroll">
    <table id="request-table">
      <caption>Newest first, from the request log</caption>
      <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Request</th><th scope="col">Model</th>
        <th scope="col" class="num">Status</th><th scope="col">Outcome</th><th scope="col" class="num">Tokens in / out</th>
        <th scope="col" class="num">Cost</th><th scope="col" class="num">Latency</th><th scope="col">Agent</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
  <p id="requests-empty" class="empty" hidden>No request matches. Requests show here a moment after they are
    answered; send one with a key of this org.</p>
  <p id="requests-error" class="error" role="alert"></p>
  <button id="requests-more" type="button" hidden>Older requests</button>
  <h3>Refused requests</h3>
  <div class="scroll">
    <table id="denial-table">
      <caption>Requests the org refused, with why</caption>
      <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Request</th><th scope="col">Reason</th>
        <th scope="col" class="num">Status</th><th scope="col">Scope</th><th scope="col">Limit</th><th scope="col">Model</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
  <p id="denials-empty" class="empty" hidden>No refused request.</p>`;

let next = null;

function requestRow(row, r) {
  cell(row, when(r.admitted_at));
  cell(row, r.id);
  cell(row, r.model);
  cell(row, r.status, true);
  cell(row, r.outcome);
  cell(row, r.tokens.input + ' / ' + r.tokens.output, true);
  cell(row, usd(r.cost_usd), true);
  cell(row, r.latency_ms == null ? '' : r.latency_ms + ' ms', true);
  cell(row, r.attribution.agent);
}

/** The first page of the log as filtered, and the refusals; {@code more} adds the next page instead. */
async function load(more) {
  const filters = new URLSearchParams(fields($('request-filters')));
  filters.set('limit', '50');
  if (more && next) {
    filters.set('cursor', next);
  }
  let log;
  try {
    log = await api(orgPath('/requests?' + filters));
    $('requests-error').textContent = '';
  } catch (e) {
    $('requests-error').textContent = e.message; // a filter the API refuses says why
    return;
  }
  const table = $('request-table');
  if (more) {
    log.requests.forEach((r) => requestRow(table.tBodies[0].insertRow(), r));
  } else {
    rows(table, log.requests, requestRow);
  }
  next = log.next_cursor;
  $('requests-more').hidden = !next;
  $('requests-empty').hidden = table.tBodies[0].rows.length > 0;
  if (!more) {
    const denials = await api(orgPath('/denials?limit=50'));
    rows($('denial-table'), denials.denials, (row, d) => {
      cell(row, when(d.at));
      cell(row, d.id);
      cell(row, d.reason);
      cell(row, d.status, true);
      cell(row, d.scope);
      cell(row, d.limit);
      cell(row, d.model);
    }, $('denials-empty'));
  }
}

export default {
  id: 'requests', title: 'Requests', live: true, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {
    $('request-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      load(false);
    });
    $('requests-more').addEventListener('click', () => load(true));
  },
  refresh: () => load(false),
};
