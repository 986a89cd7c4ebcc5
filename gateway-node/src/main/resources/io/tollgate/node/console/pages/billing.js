// What the org pays for: the price catalog's version and its own prices; the month's invoice by customer, with
// the CSV and FOCUS files finance tools read.
import { $, api, canEdit, cell, change, download, el, fields, orgPath, rows, session, usd } from '../lib.js';

const markup = `
  <h2 id="billing-title">Pricing and billing</h2>
  <h3>Prices</h3>
  <p id="price-line"></p>
  <div class="scroll"><table id="price-table"><caption>This org's own prices, in USD per million tokens; the catalog's for every other model</caption>
    <thead><tr><th scope="col">Model</th><th scope="col">Prices</th><th scope="col">Set (UTC)</th>
      <th scope="col" class="edit">Change</th></tr></thead><tbody></tbody></table></div>
  <p id="prices-empty" class="empty" hidden>No price of its own: every model at the catalog's price.</p>
  <form id="price-form" class="edit filters" aria-labelledby="price-form-title">
    <h4 id="price-form-title">Set a price of the org's own</h4>
    <div><label for="pr-model">Model</label><input id="pr-model" name="model" required></div>
    <div><label for="pr-input">Input, USD / Mtok</label><input id="pr-input" name="input" inputmode="decimal" required></div>
    <div><label for="pr-output">Output, USD / Mtok</label><input id="pr-output" name="output" inputmode="decimal" required></div>
    <div><label for="pr-cache">Cache read, USD / Mtok</label><input id="pr-cache" name="cache_read" inputmode="decimal"></div>
    <div class="actions"><button type="submit">Save price</button></div>
    <p id="price-status" role="status"></p>
  </form>
  <h3>Invoice</h3>
  <form id="invoice-form" class="filters">
    <div><label for="i-month">Month</label><input id="i-month" name="month" type="month" required></div>
    <div><label for="i-customer">Customer (empty: all)</label><input id="i-customer" name="customer"></div>
    <div class="actions"><button type="submit">Show invoice</button></div>
    <div class="actions"><button id="invoice-csv" type="button" class="secondary">Download CSV</button></div>
    <div class="actions"><button id="invoice-focus" type="button" class="secondary">Download FOCUS</button></div>
  </form>
  <p id="invoice-error" class="error" role="alert"></p>
  <div class="scroll"><table id="invoice-table"><caption id="invoice-caption">The month's lines</caption>
    <thead><tr><th scope="col">Customer</th><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Class</th>
      <th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price / M</th><th scope="col" class="num">Amount</th>
      <th scope="col">Price from</th></tr></thead><tbody></tbody>
    <tfoot><tr><th scope="row" colspan="6">Subtotal</th><td id="invoice-subtotal" class="num"></td><td></td></tr>
      <tr><th scope="row" colspan="6" id="invoice-markup-label">Markup</th><td id="invoice-markup" class="num"></td><td></td></tr>
      <tr><th scope="row" colspan="6">Total</th><td id="invoice-total" class="num"></td><td></td></tr></tfoot></table></div>
  <p id="invoice-empty" class="empty" hidden>Nothing billed in this month.</p>`;

function thisMonth() {
  return new Date().toISOString().slice(0, 7);
}

function query(format) {
  const form = fields($('invoice-form'));
  const params = new URLSearchParams({ month: form.month || thisMonth() });
  if (form.customer) {
    params.set('customer', form.customer);
  }
  if (format) {
    params.set('format', format);
  }
  return params;
}

async function invoice() {
  let inv;
  try {
    inv = await api(orgPath('/invoice?' + query()));
    $('invoice-error').textContent = '';
  } catch (e) {
    $('invoice-error').textContent = e.message;
    return;
  }
  $('invoice-caption').textContent = 'Invoice of ' + inv.month + (inv.customer == null ? '' : ' for ' + inv.customer)
    + ': ' + inv.requests + ' requests';
  rows($('invoice-table'), inv.lines, (row, l) => {
    cell(row, l.customer);
    cell(row, l.provider);
    cell(row, l.model);
    cell(row, l.token_class);
    cell(row, l.tokens == null ? '' : l.tokens + ' ' + (l.unit || 'tokens'), true);
    cell(row, l.unit_price_usd_per_mtok == null ? '' : usd(l.unit_price_usd_per_mtok), true);
    cell(row, usd(l.amount_usd), true);
    cell(row, l.price_source);
  }, $('invoice-empty'));
  $('invoice-subtotal').textContent = usd(inv.subtotal_usd);
  $('invoice-markup-label').textContent = inv.markup_percent == null ? 'Markup' : 'Markup ' + inv.markup_percent + ' %';
  $('invoice-markup').textContent = inv.markup_usd == null ? '–' : usd(inv.markup_usd);
  $('invoice-total').textContent = usd(inv.total_usd);
}

async function files(path, name) {
  try {
    await download(orgPath(path), name);
    $('invoice-error').textContent = '';
  } catch (e) {
    $('invoice-error').textContent = e.message;
  }
}

async function savePrice(event) {
  event.preventDefault();
  const form = fields($('price-form'));
  const { model, ...price } = form;
  await change($('price-status'), () => api(orgPath('/pricing/' + model), 'PUT', price),
    () => 'Saved: ' + model + ' at the org\'s own price from the next request.');
  await refresh();
}

async function removePrice(model) {
  await change($('price-status'), () => api(orgPath('/pricing/' + model), 'DELETE'),
    () => model + ' is at the catalog\'s price again.');
  await refresh();
}

async function refresh() {
  const pricing = await api(orgPath('/pricing'));
  $('price-line').textContent = 'Catalog ' + pricing.catalog_version + '. Models no price covers: '
    + pricing.unpriced_models + '.';
  rows($('price-table'), pricing.overrides, (row, p) => {
    cell(row, p.model);
    cell(row, Object.entries(p.usd_per_mtok).map(([c, v]) => c + ' ' + (typeof v === 'object' ? usd(v.base) + ' and tiers'
      : usd(v))).join(' · '));
    cell(row, p.set_at.replace('T', ' ').replace(/(\.\d+)?Z$/, ''));
    cell(row, canEdit() ? el('button', { type: 'button', className: 'secondary', onclick: () => removePrice(p.model) },
      'Back to catalog') : '').className = 'edit';
  }, $('prices-empty'));
  await invoice();
}

export default {
  id: 'billing', title: 'Pricing & billing', live: false, markup,
  roles: ['operator', 'org_admin', 'org_viewer', 'finance'],
  init() {
    $('i-month').value = thisMonth();
    $('invoice-form').addEventListener('submit', (event) => {
      event.preventDefault();
      invoice();
    });
    $('invoice-csv').addEventListener('click', () => files('/invoice?' + query('csv'),
      'invoice-' + session.org + '-' + query().get('month') + '.csv'));
    $('invoice-focus').addEventListener('click', () => files('/export/focus?' + query(),
      'focus-' + session.org + '-' + query().get('month') + '.csv'));
    $('price-form').addEventListener('submit', savePrice);
  },
  refresh,
};
