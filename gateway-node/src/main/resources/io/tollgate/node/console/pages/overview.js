// Spend today, this week and this month; what it went to; how requests fare; and every budget past half spent.
import { $, api, cell, el, monday, nanos, orgPath, percentOf, rows, usd, utcDay } from '../lib.js';

const SCOPES = ['team', 'customer', 'user', 'agent', 'key'];
const BREAKDOWNS = ['agent', 'model', 'customer'];
let chart = null;

const markup = `
  <h2 id="overview-title">Overview</h2>
  <div class="cards" aria-live="polite">
    <div class="card"><h3>Spend today</h3><p id="spend-today" class="money">–</p></div>
    <div class="card"><h3>Spend this week</h3><p id="spend-week" class="money">–</p></div>
    <div class="card"><h3>Spend this month</h3><p id="spend-month" class="money">–</p><p id="spend-trend" class="trend"></p></div>
    <div class="card"><h3>Requests this month</h3><p id="requests-month">–</p></div>
    <div class="card"><h3>Errors, last 24 h</h3><p id="error-rate">–</p></div>
    <div class="card"><h3>Latency p50 / p95, last 24 h</h3><p id="latency">–</p></div>
  </div>
  <h3>Budgets: the org's, and every other past half spent</h3>
  <ul id="budget-gauges" class="budgets"></ul>
  <h3>Spend by day</h3>
  <div id="spend-chart" class="chart" role="img" aria-label="Spend by day this month"></div>
  <div class="columns">
    ${BREAKDOWNS.map((d) => `<div><h3 id="top-${d}-title">This month by ${d}</h3>
      <div class="scroll"><table id="top-${d}" aria-labelledby="top-${d}-title"><thead><tr><th scope="col">${d[0].toUpperCase() + d.slice(1)}</th>
      <th scope="col" class="num">Requests</th><th scope="col" class="num">Cost</th></tr></thead><tbody></tbody></table></div>
      <p id="top-${d}-empty" class="empty" hidden>No request named one yet: send <code>X-${d === 'model' ? 'Model' : d[0].toUpperCase() + d.slice(1) + '-ID'}</code>.</p></div>`).join('')}
  </div>
  <p class="note">Figures refresh every 10 seconds; money is shown as the API gives it, to the nano-USD.</p>`;

/** A gauge of a budget: what is spent of it, as the API says, and the share. */
function gauge(id, title, spent, budget) {
  const percent = percentOf(spent, budget);
  const bar = el('progress', { id, max: 100, value: Math.min(percent, 100) });
  const label = el('label', { htmlFor: id }, title + ': ' + usd(spent) + ' of ' + usd(budget) + ' (' + percent + ' %)');
  return { item: el('li', { className: percent >= 100 ? 'over' : '' }, label, bar), percent };
}

/** Each daily and monthly budget of one scope value as gauges, past half spent only (the org's always). */
function gauges(prefix, title, limits, day, month, always = false) {
  const found = [];
  [['monthly_budget_usd', 'this month', month], ['daily_budget_usd', 'today', day]].forEach(([field, period, spent]) => {
    const budget = limits && limits[field];
    if (budget != null && nanos(budget) > 0n && spent != null) {
      const g = gauge(prefix + '-' + field, title + ', ' + period, spent, budget);
      if (always || g.percent >= 50) {
        found.push(g.item);
      }
    }
  });
  return found;
}

async function budgets(quota) {
  const items = gauges('budget-org', 'Org', quota.limits, quota.windows.day.cost_usd, quota.usage.monthly_cost_usd, true);
  const lists = await Promise.all(SCOPES.map((scope) => api(orgPath('/quota/scopes?scope=' + scope))
    .catch(() => ({ values: [] }))));
  lists.forEach((list, i) => (list.values || []).forEach((v) => {
    items.push(...gauges('budget-' + SCOPES[i] + '-' + v.value, SCOPES[i] + ' ' + v.value, v.limits,
      v.usage.day.cost_usd, v.usage.month.cost_usd));
  }));
  if (items.length === 0) {
    items.push(el('li', { className: 'empty' }, 'No org budget, and no other past half spent. Set budgets on the Budgets & limits page.'));
  }
  $('budget-gauges').replaceChildren(...items);
}

/** Last month to this day, against this month so far: up or down, in percent, from the exact amounts. */
async function trend(now, month) {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const sameDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, Math.min(now.getUTCDate(),
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).getUTCDate())));
  const before = await api(orgPath('/usage?from=' + utcDay(first) + '&to=' + utcDay(sameDay)));
  const was = nanos(before.total.cost_usd);
  if (was === 0n) {
    $('spend-trend').textContent = 'nothing spent by this day last month';
    return;
  }
  const change = Number(((nanos(month) - was) * 100n) / was);
  $('spend-trend').textContent = (change >= 0 ? '▲ ' : '▼ ') + Math.abs(change) + ' % against last month by this day';
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
    // Bar heights only are numbers; every label is the API's string.
    series: [{ type: 'bar', barMaxWidth: 48, data: series.map((d) => Number(d.cost_usd)), itemStyle: { color: '#0b5cad' } }],
  });
}

async function refresh() {
  const now = new Date();
  const [quota, today, week, month, stats, ...leaders] = await Promise.all([
    api(orgPath('/quota')),
    api(orgPath('/usage?from=' + utcDay(now) + '&to=' + utcDay(now))),
    api(orgPath('/usage?from=' + utcDay(monday(now)) + '&to=' + utcDay(now))),
    api(orgPath('/usage?by=day')),
    api(orgPath('/requests/stats')),
    ...BREAKDOWNS.map((d) => api(orgPath('/usage/leaderboard?dimension=' + d + '&metric=cost&limit=5'))),
  ]);
  $('spend-today').textContent = usd(today.total.cost_usd);
  $('spend-week').textContent = usd(week.total.cost_usd);
  $('spend-month').textContent = usd(quota.usage.monthly_cost_usd);
  $('requests-month').textContent = String(quota.usage.monthly_requests);
  $('error-rate').textContent = stats.error_rate_percent == null ? 'no request'
    : stats.error_rate_percent + ' % (' + stats.errors + ' of ' + stats.requests + ')';
  $('latency').textContent = stats.latency_ms.p50 == null ? 'no request'
    : stats.latency_ms.p50 + ' ms / ' + stats.latency_ms.p95 + ' ms';
  BREAKDOWNS.forEach((d, i) => rows($('top-' + d), leaders[i].leaders.filter((l) => l[d] !== ''), (row, l) => {
    cell(row, l[d]);
    cell(row, l.requests, true);
    cell(row, usd(l.cost_usd), true);
  }, $('top-' + d + '-empty')));
  draw(month.series);
  await Promise.all([budgets(quota), trend(now, month.total.cost_usd)]);
}

export default {
  id: 'overview', title: 'Overview', live: true, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {},
  refresh,
  resize: () => chart && chart.resize(),
};
