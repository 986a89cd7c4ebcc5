// For the operator: every org with its month, the cluster's members and the org shards each hosts, how far each
// read model trails the journal, and this node's view of the providers.
import { $, api, cell, el, rows, session, usd, when } from '../lib.js';

const markup = `
  <h2 id="operator-title">Operator</h2>
  <div class="scroll"><table id="org-table"><caption>Every org, live from its actor</caption>
    <thead><tr><th scope="col">Org</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Plan</th>
      <th scope="col" class="num">Requests this month</th><th scope="col" class="num">Spend this month</th>
      <th scope="col" class="num">In flight</th><th scope="col">Open</th></tr></thead><tbody></tbody></table></div>
  <p id="orgs-empty" class="empty" hidden>No org yet: create one with <code>POST /admin/orgs</code>.</p>
  <h3>Cluster</h3>
  <p id="cluster-line"></p>
  <div class="scroll"><table id="member-table"><caption>Members, and the org shards and orgs each hosts</caption>
    <thead><tr><th scope="col">Member</th><th scope="col">Status</th><th scope="col">Roles</th>
      <th scope="col" class="num">Org shards</th><th scope="col" class="num">Orgs awake</th></tr></thead><tbody></tbody></table></div>
  <div class="scroll"><table id="projection-table"><caption>Read models: how far each trails the journal</caption>
    <thead><tr><th scope="col">Projection</th><th scope="col" class="num">Events to read</th>
      <th scope="col" class="num">Lag</th><th scope="col">Last written (UTC)</th></tr></thead><tbody></tbody></table></div>
  <h3>Providers, as this node sees them</h3>
  <div class="scroll"><table id="upstream-table">
    <thead><tr><th scope="col">Provider</th><th scope="col">Deployment</th><th scope="col">State</th>
      <th scope="col" class="num">In flight</th><th scope="col" class="num">Recent failures</th>
      <th scope="col" class="num">Requests</th></tr></thead><tbody></tbody></table></div>`;

async function refresh() {
  const [orgs, cluster, upstreams] = await Promise.all([api('/admin/orgs?limit=200'), api('/admin/cluster'),
    api('/admin/upstreams')]);
  rows($('org-table'), orgs.orgs, (row, o) => {
    cell(row, o.id);
    cell(row, o.name);
    cell(row, o.status);
    cell(row, o.plan || '–');
    cell(row, o.monthly_requests, true);
    cell(row, usd(o.monthly_cost_usd), true);
    cell(row, o.in_flight, true);
    cell(row, el('button', { type: 'button', className: 'secondary', onclick: () => {
      session.org = o.id;
      $('org-select').value = o.id;
      location.hash = '#overview';
    } }, 'Overview'));
  }, $('orgs-empty'));
  $('cluster-line').textContent = cluster.members.length + ' member(s); this node is ' + cluster.self
    + (cluster.leader ? '; the leader is ' + cluster.leader : '') + '.';
  rows($('member-table'), cluster.members, (row, m) => {
    cell(row, m.address);
    cell(row, m.unreachable ? m.status + ', unreachable' : m.status);
    cell(row, m.roles.join(', '));
    cell(row, m.org_shards, true);
    cell(row, m.orgs, true);
  });
  rows($('projection-table'), cluster.projections, (row, p) => {
    cell(row, p.projection);
    cell(row, p.pending_events, true);
    cell(row, p.lag_seconds + ' s', true);
    cell(row, p.last_written_at ? when(p.last_written_at) : 'never');
  });
  const deployments = upstreams.providers.flatMap((p) => p.deployments.map((d) => ({ provider: p.provider, ...d })));
  rows($('upstream-table'), deployments, (row, d) => {
    cell(row, d.provider);
    cell(row, d.name);
    cell(row, d.state + (d.cooling_until ? ', cooling until ' + when(d.cooling_until) : ''));
    cell(row, d.in_flight, true);
    cell(row, d.recent_failure_percent + ' %', true);
    cell(row, d.requests, true);
  });
}

export default {
  id: 'operator', title: 'Operator', live: true, everyOrg: true, markup,
  roles: ['operator'],
  init() {},
  refresh,
};
