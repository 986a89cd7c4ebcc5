'use strict';
// The console: every figure comes from the admin API with the token the user signed in with, kept in this tab's
// session storage (never in a URL). Money is shown as the API's decimal strings; only a chart's bar heights are
// numbers, and its labels are the strings.
(function () {
  const TOKEN = 'tollgate.token';
  const REFRESH_MS = 10000;
  const $ = (id) => document.getElementById(id);
  let who = null;
  let org = null;
  let timer = null;
  let chart = null;

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } });
    if (response.status === 401) {
      signOut('That token is unknown, expired or revoked.');
      throw new Error('signed out');
    }
    if (!response.ok) {
      throw new Error(path + ' answered ' + response.status);
    }
    return response.json();
  }

  function usd(decimal) {
    return decimal == null ? 'no limit' : '$' + decimal;
  }

  /** A decimal string of USD as integer nano-USD, exactly. */
  function nanos(decimal) {
    const [whole, fraction = ''] = decimal.split('.');
    return BigInt(whole) * 1000000000n + BigInt((fraction + '000000000').slice(0, 9));
  }

  function utcDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function monday(date) {
    const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d;
  }

  const PAGES = ['overview', 'requests', 'audit'];

  /** The page the address names (#overview, #requests), shown alone; the overview by default. */
  function page() {
    const name = location.hash.slice(1);
    return PAGES.includes(name) ? name : 'overview';
  }

  function showPage() {
    const current = page();
    PAGES.forEach((p) => { $(p).hidden = p !== current; });
    document.querySelectorAll('#nav a').forEach((a) => {
      if (a.dataset.page === current) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    });
  }

  function show(signedIn) {
    $('signin').hidden = signedIn;
    if (signedIn) {
      showPage();
    } else {
      PAGES.forEach((p) => { $(p).hidden = true; });
    }
    $('nav').hidden = !signedIn;
    $('who').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN);
    clearInterval(timer);
    who = null;
    show(false);
    $('signin-error').textContent = message || '';
    $('token').focus();
  }

  async function signIn(token) {
    sessionStorage.setItem(TOKEN, token);
    try {
      who = await api('/admin/whoami');
    } catch (e) {
      return;
    }
    $('who').textContent = who.name + ' · ' + who.role.replace('_', ' ') + (who.org ? ' of ' + who.org : '');
    show(true);
    await chooseOrg();
    clearInterval(timer);
    timer = setInterval(refresh, REFRESH_MS);
  }

  /** A token of one org sees that org; an operator or finance of every org chooses among them. */
  async function chooseOrg() {
    let orgs = who.org ? [who.org] : (await api('/admin/orgs?limit=200')).orgs.map((o) => o.id);
    $('org-choice').hidden = orgs.length < 2 && who.org != null;
    const select = $('org-select');
    select.replaceChildren(...orgs.map((id) => new Option(id, id)));
    $('empty').hidden = orgs.length > 0;
    $('figures').hidden = orgs.length === 0;
    org = orgs[0] || null;
    await refresh();
  }

  async function refresh() {
    if (!org) {
      return;
    }
    if (page() === 'requests') {
      return requests(false);
    }
    if (page() === 'audit') {
      return audit();
    }
    const now = new Date();
    const base = '/admin/orgs/' + encodeURIComponent(org);
    const [quota, today, week, month] = await Promise.all([
      api(base + '/quota'),
      api(base + '/usage?from=' + utcDay(now) + '&to=' + utcDay(now)),
      api(base + '/usage?from=' + utcDay(monday(now)) + '&to=' + utcDay(now)),
      api(base + '/usage?by=day'),
    ]);
    $('spend-today').textContent = usd(today.total.cost_usd);
    $('spend-week').textContent = usd(week.total.cost_usd);
    $('spend-month').textContent = usd(quota.usage.monthly_cost_usd);
    $('requests-month').textContent = String(quota.usage.monthly_requests);
    draw(month.series);
    await budgets(quota);
  }

  const SCOPES = ['team', 'customer', 'user', 'agent', 'key'];

  /** A gauge of a monthly budget: what is spent of it, as the API says, and the share. */
  function gauge(id, title, spent, budget) {
    const percent = Number((nanos(spent) * 100n) / nanos(budget));
    const li = document.createElement('li');
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = title + ': ' + usd(spent) + ' of ' + usd(budget) + ' (' + percent + ' %)';
    const bar = document.createElement('progress');
    bar.id = id;
    bar.max = 100;
    bar.value = Math.min(percent, 100);
    li.append(label, bar);
    return { li, percent };
  }

  /** The org's monthly budget, and every scope value's past half of its own. */
  async function budgets(quota) {
    const items = [];
    const budget = quota.limits.monthly_budget_usd;
    if (budget != null && nanos(budget) > 0n) {
      items.push(gauge('budget-org', 'Org, this month', quota.usage.monthly_cost_usd, budget).li);
    }
    const base = '/admin/orgs/' + encodeURIComponent(org) + '/quota/scopes?scope=';
    const lists = await Promise.all(SCOPES.map((scope) => api(base + scope).catch(() => ({ values: [] }))));
    lists.forEach((list, i) => (list.values || []).forEach((v) => {
      const own = v.limits && v.limits.monthly_budget_usd;
      if (own != null && nanos(own) > 0n) {
        const g = gauge('budget-' + SCOPES[i] + '-' + v.value, SCOPES[i] + ' ' + v.value, v.usage.month.cost_usd, own);
        if (g.percent >= 50) {
          items.push(g.li);
        }
      }
    }));
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'No budget set, or none past half. Set one with PUT /admin/orgs/' + org + '/limits.';
      items.push(li);
    }
    $('budgets').replaceChildren(...items);
  }

  let nextRequests = null;

  function cell(row, text, numeric) {
    const td = row.insertCell();
    td.textContent = text == null ? '' : String(text);
    if (numeric) {
      td.className = 'num';
    }
  }

  /** The request log (newest first, filtered as the form says) and the refusals; {@code more} adds the next page. */
  async function requests(more) {
    const base = '/admin/orgs/' + encodeURIComponent(org);
    const filters = new URLSearchParams();
    new FormData($('request-filters')).forEach((value, name) => {
      if (String(value).trim() !== '') {
        filters.set(name, String(value).trim());
      }
    });
    filters.set('limit', '50');
    if (more && nextRequests) {
      filters.set('cursor', nextRequests);
    }
    const [log, denials] = await Promise.all([api(base + '/requests?' + filters), api(base + '/denials?limit=50')]);
    const body = $('request-table').tBodies[0];
    if (!more) {
      body.replaceChildren();
    }
    log.requests.forEach((r) => {
      const row = body.insertRow();
      cell(row, r.admitted_at.replace('T', ' ').replace('Z', ''));
      cell(row, r.id);
      cell(row, r.model);
      cell(row, r.status, true);
      cell(row, r.outcome);
      cell(row, r.tokens.input + ' / ' + r.tokens.output, true);
      cell(row, usd(r.cost_usd), true);
      cell(row, r.latency_ms == null ? '' : r.latency_ms + ' ms', true);
      cell(row, r.attribution.agent);
    });
    nextRequests = log.next_cursor;
    $('requests-more').hidden = !nextRequests;
    $('requests-empty').hidden = body.rows.length > 0;
    const refused = $('denial-table').tBodies[0];
    refused.replaceChildren();
    denials.denials.forEach((d) => {
      const row = refused.insertRow();
      cell(row, d.at.replace('T', ' ').replace('Z', ''));
      cell(row, d.id);
      cell(row, d.reason);
      cell(row, d.status, true);
      cell(row, d.scope);
      cell(row, d.limit);
      cell(row, d.model);
    });
    $('denials-empty').hidden = refused.rows.length > 0;
  }

  /** The org's admin changes, newest first, each with what it changed before and after. */
  async function audit() {
    const trail = await api('/admin/orgs/' + encodeURIComponent(org) + '/audit?limit=100');
    const items = trail.changes.map((c) => {
      const li = document.createElement('li');
      const line = document.createElement('p');
      line.textContent = c.at.replace('T', ' ').replace('Z', ' UTC') + ' · ' + c.by.name + ' (' + c.by.role.replace('_', ' ')
          + ') · ' + c.action + ' → ' + c.status;
      li.append(line);
      if (c.before !== null || c.after !== null) {
        const details = document.createElement('details');
        const summary = document.createElement('summary');
        summary.textContent = 'Before and after';
        const before = document.createElement('pre');
        before.textContent = 'before: ' + JSON.stringify(c.before, null, 2);
        const after = document.createElement('pre');
        after.textContent = 'after: ' + JSON.stringify(c.after, null, 2);
        details.append(summary, before, after);
        li.append(details);
      }
      return li;
    });
    $('audit-list').replaceChildren(...items);
    $('audit-empty').hidden = items.length > 0;
  }

  function draw(series) {
    if (typeof echarts === 'undefined') {
      return;
    }
    chart = chart || echarts.init($('spend-chart'));
    chart.setOption({
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis', formatter: (p) => p[0].name + ': ' + usd(series[p[0].dataIndex].cost_usd) },
      xAxis: { type: 'category', data: series.map((d) => d.day) },
      yAxis: { type: 'value', name: 'USD' },
      series: [{ type: 'bar', barMaxWidth: 48, data: series.map((d) => Number(d.cost_usd)), itemStyle: { color: '#0b5cad' } }],
    });
  }

  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    $('token').value = '';
    signIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('request-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    requests(false);
  });
  $('requests-more').addEventListener('click', () => requests(true));
  window.addEventListener('hashchange', () => {
    if (who) {
      showPage();
      refresh();
    }
  });
  $('org-select').addEventListener('change', (event) => {
    org = event.target.value;
    refresh();
  });
  window.addEventListener('resize', () => chart && chart.resize());

  if (sessionStorage.getItem(TOKEN)) {
    signIn(sessionStorage.getItem(TOKEN));
  } else {
    show(false);
  }
})();
