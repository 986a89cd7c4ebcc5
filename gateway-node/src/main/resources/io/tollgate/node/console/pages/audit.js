// Every change made to the org through the admin API: who, what, and the part it changed before and after.
import { $, api, el, orgPath, when } from '../lib.js';

const markup = `
  <h2 id="audit-title">Audit trail</h2>
  <p>Every change made to this organization through the admin API: who, what, and the part it changed before and
    after.</p>
  <ol id="audit-list" class="audit"></ol>
  <p id="audit-empty" class="empty" hidden>No change yet. Changes to limits, keys, policies, alerts, webhooks and
    prices show here.</p>`;

async function refresh() {
  const trail = await api(orgPath('/audit?limit=100'));
  const items = trail.changes.map((c) => {
    const item = el('li', {}, el('p', {}, when(c.at) + ' UTC · ' + c.by.name + ' (' + c.by.role.replace('_', ' ')
      + ') · ' + c.action + ' → ' + c.status));
    if (c.before !== null || c.after !== null) {
      item.append(el('details', {}, el('summary', {}, 'Before and after'),
        el('pre', {}, 'before: ' + JSON.stringify(c.before, null, 2)),
        el('pre', {}, 'after: ' + JSON.stringify(c.after, null, 2))));
    }
    return item;
  });
  $('audit-list').replaceChildren(...items);
  $('audit-empty').hidden = items.length > 0;
}

export default {
  id: 'audit', title: 'Audit trail', live: false, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {},
  refresh,
};
