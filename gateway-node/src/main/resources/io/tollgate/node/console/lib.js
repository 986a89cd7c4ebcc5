// What every page shares: the admin API called with the token the user signed in with (kept in this tab's
// session storage, never in a URL), money as the API's decimal strings, and a few DOM helpers.
export const TOKEN = 'tollgate.token';

/** Who signed in (GET /admin/whoami) and the org the pages show. */
export const session = { who: null, org: null };

let signedOut = () => {};

/** What to do when the API no longer knows the token. */
export function onSignedOut(handler) {
  signedOut = handler;
}

/** An answer of the API below 200 or above 299, with its message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the admin API; JSON in and out, text for other answers (CSV). */
export async function api(path, method = 'GET', body = undefined) {
  const init = { method, headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    signedOut('That token is unknown, expired or revoked.');
    throw new ApiError(401, 'signed out');
  }
  const text = await response.text();
  const json = (response.headers.get('Content-Type') || '').includes('json') && text ? JSON.parse(text) : text;
  if (!response.ok) {
    throw new ApiError(response.status, (json && json.error && json.error.message) || path + ' answered ' + response.status);
  }
  return json;
}

/** A path under the org shown. */
export function orgPath(rest = '') {
  return '/admin/orgs/' + encodeURIComponent(session.org) + rest;
}

/** Whether the signed-in role changes things (the API refuses the others anyway). */
export function canEdit() {
  return session.who != null && (session.who.role === 'operator' || session.who.role === 'org_admin');
}

export const $ = (id) => document.getElementById(id);

export function usd(decimal) {
  return decimal == null ? 'no limit' : '$' + decimal;
}

/** A decimal string of USD as integer nano-USD, exactly. */
export function nanos(decimal) {
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const n = BigInt(whole) * 1000000000n + BigInt((fraction + '000000000').slice(0, 9));
  return negative ? -n : n;
}

/** {@code part} of {@code whole} as a whole percentage, rounded down; both decimal strings of USD. */
export function percentOf(part, whole) {
  const w = nanos(whole);
  return w > 0n ? Number((nanos(part) * 100n) / w) : 0;
}

export function utcDay(date) {
  return date.toISOString().slice(0, 10);
}

export function monday(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/** An instant of the API, as the pages print it (UTC, to the second). */
export function when(iso) {
  return iso == null ? '' : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** An element with properties and children (text or nodes): the pages build their rows with it, never with HTML. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(props).forEach(([name, value]) => {
    if (name.startsWith('data-') || name.startsWith('aria-')) {
      node.setAttribute(name, value);
    } else {
      node[name] = value;
    }
  });
  node.append(...children.filter((c) => c != null).map((c) => (typeof c === 'object' ? c : String(c))));
  return node;
}

/** Appends a cell to a table row; numbers right-aligned. */
export function cell(row, content, numeric = false) {
  const td = row.insertCell();
  if (content instanceof Node) {
    td.append(content);
  } else {
    td.textContent = content == null ? '' : String(content);
  }
  if (numeric) {
    td.className = 'num';
  }
  return td;
}

/** Fills a table's body with a row per item, and shows the empty note when there is none. */
export function rows(table, items, fill, empty) {
  const body = table.tBodies[0];
  body.replaceChildren();
  items.forEach((item) => fill(body.insertRow(), item));
  if (empty) {
    empty.hidden = items.length > 0;
  }
}

/** The non-empty fields of a form, trimmed. */
export function fields(form) {
  const values = {};
  new FormData(form).forEach((value, name) => {
    if (String(value).trim() !== '') {
      values[name] = String(value).trim();
    }
  });
  return values;
}

/** Runs a change, then says how it went in the form's status line (an element with role="status"). */
export async function change(status, action, done) {
  status.classList.remove('error');
  status.textContent = 'Saving…';
  try {
    const result = await action();
    status.textContent = done(result);
    return result;
  } catch (e) {
    status.classList.add('error');
    status.textContent = e.message;
    return null;
  }
}

/** A button that undoes something asks once more on itself: true on its second click within 5 seconds. */
export function confirmed(button, question) {
  if (button.dataset.armed === 'yes') {
    return true;
  }
  const label = button.textContent;
  button.dataset.armed = 'yes';
  button.textContent = question;
  setTimeout(() => {
    button.dataset.armed = '';
    button.textContent = label;
  }, 5000);
  return false;
}

/** Fetches an export with the token and hands it to the browser as a file. */
export async function download(path, filename) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } });
  if (!response.ok) {
    throw new ApiError(response.status, path + ' answered ' + response.status);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
