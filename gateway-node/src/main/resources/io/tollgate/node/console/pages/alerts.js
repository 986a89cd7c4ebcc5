// Alert thresholds, the anomaly policy and the blocks in force; the org's webhooks, a test message, deliveries.
import { $, api, canEdit, cell, change, el, fields, orgPath, rows, usd, when } from '../lib.js';

const markup = `
  <h2 id="alerts-title">Alerts and webhooks</h2>
  <p id="alert-policy"></p>
  <form id="alert-form" class="edit filters" aria-labelledby="alert-form-title">
    <h3 id="alert-form-title">Alert thresholds</h3>
    <div><label for="a-thresholds">Percent of each budget that sends an alert (comma-separated)</label>
      <input id="a-thresholds" name="thresholds" required></div>
    <div class="actions"><button type="submit">Save thresholds</button></div>
    <p id="alert-status" role="status"></p>
  </form>
  <h3>Blocks in force</h3>
  <div class="scroll"><table id="block-table"><caption>Agents and keys an anomaly blocked</caption>
    <thead><tr><th scope="col">Blocked</th><th scope="col">Severity</th><th scope="col">Since (UTC)</th>
      <th scope="col">Until (UTC)</th><th scope="col" class="edit">Lift</th></tr></thead><tbody></tbody></table></div>
  <p id="blocks-empty" class="empty" hidden>No block in force.</p>
  <h3>Latest anomalies</h3>
  <div class="scroll"><table id="anomaly-table"><caption>Spend or requests far above their baseline</caption>
    <thead><tr><th scope="col">Subject</th><th scope="col">Measure</th><th scope="col">Severity</th>
      <th scope="col" class="num">Observed</th><th scope="col" class="num">Expected</th><th scope="col">Interval (UTC)</th>
      <th scope="col">Action</th></tr></thead><tbody></tbody></table></div>
  <p id="anomalies-empty" class="empty" hidden>No anomaly yet: baselines learn from twelve intervals of traffic.</p>
  <h3>Webhooks</h3>
  <form id="webhook-form" class="edit filters" aria-labelledby="webhook-form-title">
    <h4 id="webhook-form-title">Add a webhook</h4>
    <div><label for="w-url">URL (https)</label><input id="w-url" name="url" type="url" required></div>
    <div><label for="w-events">Events (comma-separated; empty: every event)</label><input id="w-events" name="events"></div>
    <div><label for="w-format">Format</label><select id="w-format" name="format">
      <option value="standard">Standard Webhooks</option><option value="slack">Slack</option></select></div>
    <div class="actions"><button type="submit">Add webhook</button></div>
    <p id="webhook-status" role="status"></p>
  </form>
  <div id="webhook-secret" class="secret" hidden>
    <label for="whsec">Its signing secret, shown this once</label><input id="whsec" readonly>
  </div>
  <div class="scroll"><table id="webhook-table"><caption>Where the org's events are sent, signed</caption>
    <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Format</th>
      <th scope="col">Added (UTC)</th><th scope="col">Deliveries</th><th scope="col" class="edit">Change</th></tr></thead>
    <tbody></tbody></table></div>
  <p id="webhooks-empty" class="empty" hidden>No webhook. Add one to hear of budgets crossed, anomalies and new
    keys where your team works.</p>
  <section id="deliveries" aria-labelledby="deliveries-title" hidden>
    <h4 id="deliveries-title">Deliveries</h4>
    <div class="scroll"><table id="delivery-table">
      <thead><tr><th scope="col">Message</th><th scope="col">Type</th><th scope="col">Created (UTC)</th>
        <th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Last answer</th></tr></thead>
      <tbody></tbody></table></div>
    <p id="deliveries-empty" class="empty" hidden>Nothing sent yet: send a test.</p>
  </section>`;

let watched = null;

async function deliveries(webhook) {
  watched = webhook;
  const list = await api(orgPath('/webhooks/' + webhook.id + '/deliveries?limit=50'));
  $('deliveries').hidden = false;
  $('deliveries-title').textContent = 'Deliveries to ' + webhook.url;
  rows($('delivery-table'), list.deliveries, (row, d) => {
    const last = d.history[d.history.length - 1];
    cell(row, d.id);
    cell(row, d.type);
    cell(row, when(d.created_at));
    cell(row, d.status);
    cell(row, d.attempts, true);
    cell(row, last ? (last.status_code || '') + ' ' + (last.error || '') : '');
  }, $('deliveries-empty'));
}

async function test(webhook) {
  await change($('webhook-status'), () => api(orgPath('/webhooks/' + webhook.id + '/test'), 'POST', {}),
    () => 'Test message queued for ' + webhook.url + '.');
  await deliveries(webhook);
}

async function removeWebhook(webhook) {
  await change($('webhook-status'), () => api(orgPath('/webhooks/' + webhook.id), 'DELETE'),
    () => 'Removed ' + webhook.url + '.');
  if (watched && watched.id === webhook.id) {
    watched = null;
    $('deliveries').hidden = true;
  }
  await refresh();
}

async function addWebhook(event) {
  event.preventDefault();
  const form = fields($('webhook-form'));
  const body = { url: form.url, format: form.format };
  if (form.events) {
    body.events = form.events.split(',').map((e) => e.trim()).filter((e) => e);
  }
  const added = await change($('webhook-status'), () => api(orgPath('/webhooks'), 'POST', body),
    (w) => 'Added ' + w.url + '.');
  if (added) {
    $('webhook-form').reset();
    $('webhook-secret').hidden = false;
    $('whsec').value = added.secret;
    await refresh();
  }
}

async function saveThresholds(event) {
  event.preventDefault();
  const thresholds = $('a-thresholds').value.split(',').map((t) => Number(t.trim())).filter((t) => !Number.isNaN(t));
  await change($('alert-status'), () => api(orgPath('/alerts'), 'PUT', { thresholds }),
    (a) => 'Alerts at ' + a.thresholds.join(', ') + ' %.');
  await refresh();
}

async function refresh() {
  const [alerts, hooks] = await Promise.all([api(orgPath('/alerts')), api(orgPath('/webhooks'))]);
  const a = alerts.anomaly;
  $('alert-policy').textContent = 'Alerts at ' + alerts.thresholds.join(', ') + ' % of each budget. Anomalies: every '
    + a.interval_seconds + ' s, from ' + usd(a.min_spend_usd) + ' spent; low ' + a.actions.low + ', medium '
    + a.actions.medium + ', high ' + a.actions.high + ', critical ' + a.actions.critical + '; a block lasts '
    + a.block_minutes + ' minutes.';
  if (document.activeElement !== $('a-thresholds')) {
    $('a-thresholds').value = alerts.thresholds.join(', ');
  }
  rows($('block-table'), alerts.blocks, (row, b) => {
    cell(row, b.scope);
    cell(row, b.severity);
    cell(row, when(b.since));
    cell(row, when(b.until));
    cell(row, canEdit() ? el('button', { type: 'button', onclick: async () => {
      await api(orgPath('/blocks/' + encodeURIComponent(b.scope)), 'DELETE');
      await refresh();
    } }, 'Lift') : '').className = 'edit';
  }, $('blocks-empty'));
  rows($('anomaly-table'), alerts.anomalies, (row, x) => {
    cell(row, x.subject);
    cell(row, x.measure);
    cell(row, x.severity);
    cell(row, x.observed, true);
    cell(row, x.expected, true);
    cell(row, when(x.interval_start));
    cell(row, x.action);
  }, $('anomalies-empty'));
  rows($('webhook-table'), hooks.webhooks, (row, w) => {
    cell(row, w.url);
    cell(row, w.events && w.events.length ? w.events.join(', ') : 'every event');
    cell(row, w.format);
    cell(row, when(w.created_at));
    cell(row, el('button', { type: 'button', className: 'secondary', onclick: () => deliveries(w) }, 'Show'));
    cell(row, canEdit() ? el('span', {}, el('button', { type: 'button', onclick: () => test(w) }, 'Send test'), ' ',
      el('button', { type: 'button', className: 'danger', onclick: () => removeWebhook(w) }, 'Remove')) : '')
      .className = 'edit';
  }, $('webhooks-empty'));
  if (watched) {
    await deliveries(watched).catch(() => { watched = null; $('deliveries').hidden = true; });
  }
}

export default {
  id: 'alerts', title: 'Alerts & webhooks', live: true, markup,
  roles: ['operator', 'org_admin', 'org_viewer'],
  init() {
    $('alert-form').addEventListener('submit', saveThresholds);
    $('webhook-form').addEventListener('submit', addWebhook);
  },
  refresh,
};
