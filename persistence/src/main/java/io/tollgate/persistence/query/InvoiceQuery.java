package io.tollgate.persistence.query;

import java.sql.Date;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** An org's invoice for a UTC month, from the invoice tables; of one customer, or of all. Blocking. */
public final class InvoiceQuery {
  private final DataSource pool;

  public InvoiceQuery(DataSource pool) {
    this.pool = pool;
  }

  /** {@code customer} null: every customer's ("" is the requests that named none). */
  public Invoice invoice(String orgId, YearMonth month, String customer, Long markupPpm) throws SQLException {
    String where = " WHERE org_id = ? AND month = ?" + (customer == null ? "" : " AND customer = ?");
    List<Object> args = new ArrayList<>(List.of(orgId, Date.valueOf(month.atDay(1))));
    if (customer != null) {
      args.add(customer);
    }
    List<Invoice.Term> terms = Rows.read(pool, "SELECT customer, provider, model, token_class, rate_per_mtok,"
        + " price_source, tokens, amount_nano_mtok FROM invoice_lines" + where
        + " ORDER BY customer, provider, model, token_class, rate_per_mtok, price_source", args,
        rs -> new Invoice.Term(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            rs.getString(6), rs.getBigDecimal(7).toBigIntegerExact(), rs.getBigDecimal(8).toBigIntegerExact()));
    List<Invoice.Recorded> recorded = Rows.read(pool, "SELECT customer, provider, model, requests, cost_nanos,"
        + " unpriced_requests FROM invoice_costs" + where + " ORDER BY customer, provider, model", args,
        rs -> new Invoice.Recorded(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6)));
    return Invoice.of(month, terms, recorded, markupPpm);
  }
}
