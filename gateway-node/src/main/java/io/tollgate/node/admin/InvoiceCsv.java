package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.Invoice;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.pricing.Charge;
import java.util.List;

/** An invoice as JSON and as CSV; money as decimal strings of USD, exact to the nano-USD. */
final class InvoiceCsv {
  private static final String HEADER = "customer,provider,model,token_class,tokens,unit_price_usd_per_mtok,amount_usd,"
      + "price_source";

  private InvoiceCsv() {}

  static ObjectNode json(String orgId, String customer, Invoice invoice) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    o.put("month", invoice.month().toString());
    o.put("customer", customer);
    o.put("currency", "USD");
    ArrayNode lines = o.putArray("lines");
    for (Invoice.Line line : invoice.lines()) {
      ObjectNode l = lines.addObject();
      l.put("customer", line.customer());
      l.put("provider", line.provider());
      l.put("model", line.model());
      l.put("token_class", line.tokenClass());
      if (line.tokens() == null) {
        l.putNull("tokens");
        l.putNull("unit");
      } else {
        l.put("tokens", line.tokens());
        l.put("unit", unit(line.tokenClass()));
      }
      AdminJson.putUsd(l, "unit_price_usd_per_mtok", line.ratePerMtok());
      l.put("amount_usd", Money.formatUsd(line.amountNanos()));
      l.put("price_source", line.priceSource());
    }
    o.put("requests", invoice.requests());
    o.put("unpriced_requests", invoice.unpricedRequests());
    o.put("subtotal_usd", Money.formatUsd(invoice.subtotalNanos()));
    o.put("markup_percent", invoice.markupPpm() == null ? null : AdminJson.percent(invoice.markupPpm()));
    o.put("markup_usd", Money.formatUsd(invoice.markupNanos()));
    o.put("total_usd", Money.formatUsd(invoice.totalNanos()));
    return o;
  }

  /**
   * What a line's quantity counts: {@code tokens}, or {@code images}, {@code seconds}, {@code characters} for what is
   * billed by the piece (its quantity in the {@code tokens} column, its price per million of them).
   */
  static String unit(String tokenClass) {
    try {
      return Charge.TokenClass.ofLabel(tokenClass).unit();
    } catch (IllegalArgumentException notAClass) {
      return "tokens";
    }
  }

  /** The lines, then the markup as a line of its own: the amounts add up to the total. */
  static String invoice(Invoice invoice) {
    StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
    for (Invoice.Line l : invoice.lines()) {
      row(csv, List.of(text(l.customer()), text(l.provider()), text(l.model()), l.tokenClass(),
          l.tokens() == null ? "" : l.tokens().toString(), l.ratePerMtok() == null ? "" : Money.formatUsd(l.ratePerMtok()),
          Money.formatUsd(l.amountNanos()), text(l.priceSource())));
    }
    if (invoice.markupNanos() != 0) {
      row(csv, List.of("", "", "", "markup", "", "", Money.formatUsd(invoice.markupNanos()),
          "markup " + AdminJson.percent(invoice.markupPpm()) + "%"));
    }
    return csv.toString();
  }

  static void row(StringBuilder csv, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(quoted(cells.get(i)));
    }
    csv.append("\r\n");
  }

  /**
   * Text from clients (customer and model names) made harmless in a spreadsheet: a cell that would start a
   * formula gets a leading apostrophe.
   */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    char first = value.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
        ? "'" + value : value;
  }

  private static String quoted(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
