// The org's API keys: issue one (its secret shown once, with a copy button), rotate, revoke; expiry and last use.
import { $, api, canEdit, cell, change, confirmed, el, fields, orgPath, rows, when } from '../lib.js';

const markup = `
  <h2 id="keys-title">Keys</h2>
  <form id="key-form" class="edit filters" aria-labelledby="key-form-title">
    <h3 id="key-form-title">Issue a key</h3>
    <div><label for="k-name">Name</label><input id="k-name" name="name" required></div>
    <div><label for="k-models">Models (comma-separated, <code>*</code> ends a prefix; empty: any)</label>
      <input id="k-models" name="allowed_models"></div>
    <div><label for="k-team">Bound to team</label><input id="k-team" name="team"></div>
    <div><label for="k-expires">Expires (UTC day)</label><input id="k-expires" name="expires_at" type="date"></div>
    <div class="actions"><button type="submit">Issue key</button></div>
    <p id="key-status" role="status"></p>
  </form>
  <div id="secret-box" class="secret" hidden>
    <label for="secret">The key, shown this once: copy it now</label>
    <input id="secret" readonly>
    <button id="copy-secret" type="button">Copy</button>
    <span id="copy-status" role="status"></span>
  </div>
  <div class="scroll"><table id="key-table">
    <caption>Every key of the org; secrets are never shown again</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Models</th><th scope="col">Bound to</th>
      <th scope="col">Created (UTC)</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th>
      <th scope="col" class="edit">Change</th></tr></thead><tbody></tbody></table></div>
  <p id="keys-empty" class="empty" hidden>No key yet. Issue one above; your applications send it as their
    provider's API key.</p>`;

function showSecret(key) {
  $('secret-box').hidden = false;
  $('secret').value = key;
  $('copy-status').textContent = '';
  $('secret').focus();
  $('secret').select();
}

async function copy() {
  $('secret').select();
  try {
    await navigator.clipboard.writeText($('secret').value);
  } catch (e) {
    document.execCommand('copy'); // where the clipboard API is not allowed
  }
  $('copy-status').textContent = 'Copied.';
}

async function issue(event) {
  event.preventDefault();
  const form = fields($('key-form'));
  const body = { name: form.name };
  if (form.allowed_models) {
    body.allowed_models = form.allowed_models.split(',').map((m) => m.trim()).filter((m) => m);
  }
  if (form.team) {
    body.binds = { team: form.team };
  }
  if (form.expires_at) {
    body.expires_at = form.expires_at + 'T00:00:00Z';
  }
  const issued = await change($('key-status'), () => api(orgPath('/keys'), 'POST', body),
    (k) => 'Issued ' + k.name + ' (' + k.id + ').');
  if (issued) {
    $('key-form').reset();
    showSecret(issued.key);
    await refresh();
  }
}

async function rotate(key) {
  const rotated = await change($('key-status'), () => api(orgPath('/keys/' + key.id + '/rotate'), 'POST',
    { grace_seconds: 3600 }), () => 'Rotated ' + key.name + ': the old secret works one hour more.');
  if (rotated) {
    showSecret(rotated.key);
    await refresh();
  }
}

/** Revoking asks once more on the same button: a key revoked is refused on every node from its next request. */
async function revoke(key, button) {
  if (!confirmed(button, 'Revoke ' + key.name + '?')) {
    return;
  }
  await change($('key-status'), () => api(orgPath('/keys/' + key.id), 'DELETE'), () => 'Revoked ' + key.name + '.');
  await refresh();
}

function status(k) {
  if (k.revoked_at) {
    return 'revoked ' + when(k.revoked_at);
  }
  return k.expires_at && Date.parse(k.expires_at) <= Date.now() ? 'expired' : 'active';
}

async function refresh() {
  const { keys } = await api(orgPath('/keys'));
  keys.sort((a, b) => (a.revoked_at ? 1 : 0) - (b.revoked_at ? 1 : 0) || b.created_at.localeCompare(a.created_at));
  rows($('key-table'), keys, (row, k) => {
    cell(row, k.name);
    cell(row, k.id);
    cell(row, k.allowed_models.length === 0 ? 'any' : k.allowed_models.join(', '));
    cell(row, Object.entries(k.binds).map(([s, v]) => s + ' ' + v).join(', '));
    cell(row, when(k.created_at));
    cell(row, k.expires_at ? when(k.expires_at) : 'never');
    cell(row, k.last_used_at ? when(k.last_used_at) : 'never');
    cell(row, status(k));
    const actions = k.revoked_at || !canEdit() ? '' : el('span', {},
      el('button', { type: 'button', onclick: () => rotate(k) }, 'Rotate'), ' ',
      el('button', { type: 'button', className: 'danger', onclick: (e) => revoke(k, e.target) }, 'Revoke'));
    cell(row, actions).className = 'edit';
  }, $('keys-empty'));
}

export default {
  id: 'keys', title: 'Keys', live: false, markup,
  roles: ['operator', 'org_admin', 'org_viewer'],
  init() {
    $('key-form').addEventListener('submit', issue);
    $('copy-secret').addEventListener('click', copy);
  },
  refresh,
};
