package io.tollgate.persistence.projection;

import static io.tollgate.persistence.projection.LogValues.text;

import io.tollgate.persistence.projection.UnnestInsert.Column;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.Charge;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's records summed into {@code invoice_lines} (each term of a cost) and {@code invoice_costs} (the
 * recorded costs), per org, UTC month, customer, provider and model; added in one statement each.
 */
final class InvoiceRollup {
  record LineKey(String orgId, LocalDate month, String customer, String provider, String model, String tokenClass,
      long rate, String priceSource) {}

  record CostKey(String orgId, LocalDate month, String customer, String provider, String model) {}

  /** Sums of one line: tokens and the exact amount in nano-USD per million tokens. */
  static final class LineSums {
    BigInteger tokens = BigInteger.ZERO;
    BigInteger amount = BigInteger.ZERO;
  }

  static final class CostSums {
    long requests;
    long cost;
    long unitemized;
    long unpriced;
  }

  private static final UnnestInsert<Map.Entry<LineKey, LineSums>> LINES = new UnnestInsert<>("invoice_lines", List.of(
      new Column<>("org_id", "text", e -> e.getKey().orgId()),
      new Column<>("month", "date", e -> e.getKey().month().toString()),
      new Column<>("customer", "text", e -> e.getKey().customer()),
      new Column<>("provider", "text", e -> e.getKey().provider()),
      new Column<>("model", "text", e -> e.getKey().model()),
      new Column<>("token_class", "text", e -> e.getKey().tokenClass()),
      new Column<>("rate_per_mtok", "int8", e -> e.getKey().rate()),
      new Column<>("price_source", "text", e -> e.getKey().priceSource()),
      new Column<>("tokens", "numeric", e -> e.getValue().tokens.toString()),
      new Column<>("amount_nano_mtok", "numeric", e -> e.getValue().amount.toString())),
      "ON CONFLICT (org_id, month, customer, provider, model, token_class, rate_per_mtok, price_source) DO UPDATE SET"
          + " tokens = invoice_lines.tokens + EXCLUDED.tokens,"
          + " amount_nano_mtok = invoice_lines.amount_nano_mtok + EXCLUDED.amount_nano_mtok");

  private static final String MAX_INT8 = "9223372036854775807";
  private static final UnnestInsert<Map.Entry<CostKey, CostSums>> COSTS = new UnnestInsert<>("invoice_costs", List.of(
      new Column<>("org_id", "text", e -> e.getKey().orgId()),
      new Column<>("month", "date", e -> e.getKey().month().toString()),
      new Column<>("customer", "text", e -> e.getKey().customer()),
      new Column<>("provider", "text", e -> e.getKey().provider()),
      new Column<>("model", "text", e -> e.getKey().model()),
      new Column<>("requests", "int8", e -> e.getValue().requests),
      new Column<>("cost_nanos", "int8", e -> e.getValue().cost),
      new Column<>("unitemized_requests", "int8", e -> e.getValue().unitemized),
      new Column<>("unpriced_requests", "int8", e -> e.getValue().unpriced)),
      "ON CONFLICT (org_id, month, customer, provider, model) DO UPDATE SET"
          + " requests = invoice_costs.requests + EXCLUDED.requests,"
          + " cost_nanos = least(invoice_costs.cost_nanos::numeric + EXCLUDED.cost_nanos, " + MAX_INT8 + ")::int8,"
          + " unitemized_requests = invoice_costs.unitemized_requests + EXCLUDED.unitemized_requests,"
          + " unpriced_requests = invoice_costs.unpriced_requests + EXCLUDED.unpriced_requests");

  private final Map<LineKey, LineSums> lines = new LinkedHashMap<>();
  private final Map<CostKey, CostSums> costs = new LinkedHashMap<>();

  void add(String orgId, UsageRecord r) {
    Attribution a = r.attribution() == null ? Attribution.NONE : r.attribution();
    LocalDate month = MonthlyPartitions.monthOf(r.admittedAtMillis()).atDay(1);
    String customer = a.customer() == null ? "" : text(a.customer());
    String provider = text(r.provider());
    String model = text(r.model());
    CostSums cost = costs.computeIfAbsent(new CostKey(orgId, month, customer, provider, model), k -> new CostSums());
    cost.requests++;
    cost.cost = Saturating.add(cost.cost, r.costNanos());
    if (r.unpriced()) {
      cost.unpriced++;
    }
    if (r.charges() == null) {
      cost.unitemized++;
      return;
    }
    String source = r.pricingVersion() == null ? "" : text(r.pricingVersion());
    for (Charge c : r.charges()) {
      LineSums sums = lines.computeIfAbsent(new LineKey(orgId, month, customer, provider, model,
          c.tokenClass().label(), c.ratePerMtok(), source), k -> new LineSums());
      sums.tokens = sums.tokens.add(BigInteger.valueOf(c.tokens()));
      sums.amount = sums.amount.add(BigInteger.valueOf(c.tokens()).multiply(BigInteger.valueOf(c.ratePerMtok())));
    }
  }

  void write(Connection connection) throws SQLException {
    LINES.insert(connection, List.copyOf(lines.entrySet()));
    COSTS.insert(connection, List.copyOf(costs.entrySet()));
  }
}
