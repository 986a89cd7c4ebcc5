// The org's admin tokens, for those who manage them: who may read or change the org in the console and the API.
import { $, api, cell, change, confirmed, el, fields, rows, session, when } from '../lib.js';

const markup = `
  <h2 id="tokens-title">Admin tokens</h2>
  <p>Tokens sign people and tools in to this console and the admin API. A token of this org reads or changes
    this org only, as its role allows.</p>
  <form id="token-form" class="filters" aria-labelledby="token-form-title">
    <h3 id="token-form-title">Issue a token</h3>
    <div><label for="t-name">Who it is for</label><input id="t-name" name="name" required></div>
    <div><label for="t-role">Role</label><select id="t-role" name="role">
      <option value="org_viewer">org viewer: reads</option><option value="finance">finance: reads, exports</option>
      <option value="org_admin">org admin: reads and changes</option></select></div>
    <div><label for="t-expires">Expires (UTC day, optional)</label><input id="t-expires" name="expires_at" type="date"></div>
    <div class="actions"><button type="submit">Issue token</button></div>
    <p id="token-status" role="status"></p>
  </form>
  <div id="token-secret-box" class="secret" hidden>
    <label for="token-secret">The token, shown this once: hand it to its holder now</label>
    <input id="token-secret" readonly>
  </div>
  <div class="scroll"><table id="token-table"><caption>The org's tokens; secrets are never shown again</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Id</th><th scope="col">Issued by</th>
      <th scope="col">Issued (UTC)</th><th scope="col">Expires</th><th scope="col">Revoke</th></tr></thead>
    <tbody></tbody></table></div>
  <p id="tokens-empty" class="empty" hidden>No token of this org yet: issue one above for each person or tool.</p>`;

async function issue(event) {
  event.preventDefault();
  const form = fields($('token-form'));
  const body = { role: form.role, org: session.org, name: form.name };
  if (form.expires_at) {
    body.expires_at = form.expires_at + 'T00:00:00Z';
  }
  const issued = await change($('token-status'), () => api('/admin/tokens', 'POST', body),
    (t) => 'Issued a ' + t.role.replace('_', ' ') + ' token for ' + t.name + '.');
  if (issued) {
    $('token-form').reset();
    $('token-secret-box').hidden = false;
    $('token-secret').value = issued.token;
    $('token-secret').select();
    await refresh();
  }
}

async function revoke(token, button) {
  if (!confirmed(button, 'Revoke ' + token.name + '?')) {
    return;
  }
  await change($('token-status'), () => api('/admin/tokens/' + encodeURIComponent(token.id), 'DELETE'),
    () => 'Revoked the token of ' + token.name + ': refused on every node from its next call.');
  await refresh();
}

async function refresh() {
  const { tokens } = await api('/admin/tokens?org=' + encodeURIComponent(session.org));
  rows($('token-table'), tokens, (row, t) => {
    cell(row, t.name);
    cell(row, t.role.replace('_', ' '));
    cell(row, t.id);
    cell(row, t.created_by);
    cell(row, when(t.created_at));
    cell(row, t.expires_at ? when(t.expires_at) : 'never');
    cell(row, t.id === session.who.token_id ? 'yours' : el('button', { type: 'button', className: 'danger',
      onclick: (e) => revoke(t, e.target) }, 'Revoke'));
  }, $('tokens-empty'));
}

export default {
  id: 'tokens', title: 'Admin tokens', live: false, markup,
  roles: ['operator', 'org_admin'],
  init() {
    $('token-form').addEventListener('submit', issue);
  },
  refresh,
};
