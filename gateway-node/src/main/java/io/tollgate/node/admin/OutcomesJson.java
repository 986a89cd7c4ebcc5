package io.tollgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.OutcomeQuery;
import io.tollgate.persistence.query.OutcomeQuery.ReportedOutcome;
import io.tollgate.persistence.query.OutcomeQuery.Return;
import io.tollgate.protocol.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/** Outcomes and the ROI as the admin API shows them; money as decimal strings, ratios to four places. */
final class OutcomesJson {
  private OutcomesJson() {}

  static ObjectNode page(OutcomeQuery.Page page) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode array = o.putArray("outcomes");
    page.outcomes().forEach(x -> array.add(outcome(x)));
    o.put("next_cursor", page.next() == null ? null : page.next().encode());
    return o;
  }

  static ArrayNode list(List<ReportedOutcome> outcomes) {
    ArrayNode array = AdminJson.MAPPER.createArrayNode();
    outcomes.forEach(x -> array.add(outcome(x)));
    return array;
  }

  static ObjectNode outcome(ReportedOutcome x) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", x.id());
    o.put("session_id", x.session());
    o.put("name", x.name());
    o.put("value_usd", Money.formatUsd(x.valueNanos()));
    o.put("status", x.status());
    o.put("agent", x.agent());
    o.put("customer", x.customer());
    o.put("key_id", x.keyId());
    o.put("reported_at", Instant.ofEpochMilli(x.reportedAtMillis()).toString());
    o.put("reviewed_by", x.reviewedBy());
    o.put("reviewed_at", x.reviewedAtMillis() == null ? null : Instant.ofEpochMilli(x.reviewedAtMillis()).toString());
    try {
      o.set("metadata", AdminJson.MAPPER.readTree(x.metadataJson()));
    } catch (JsonProcessingException e) {
      o.putObject("metadata");
    }
    return o;
  }

  static ObjectNode roi(String orgId, OutcomeQuery.By by, SpendReport.Days days, List<Return> returns) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    o.put("by", by.label());
    o.put("from", days.from().toString());
    o.put("to", days.to().toString());
    ArrayNode groups = o.putArray("groups");
    long cost = 0;
    long value = 0;
    long reported = 0;
    long confirmed = 0;
    for (Return r : returns) {
      ObjectNode group = groups.addObject();
      group.put(by.label(), r.group());
      figures(group, r.costNanos(), r.confirmedValueNanos(), r.reported(), r.confirmed());
      cost += r.costNanos();
      value += r.confirmedValueNanos();
      reported += r.reported();
      confirmed += r.confirmed();
    }
    figures(o.putObject("total"), cost, value, reported, confirmed);
    return o;
  }

  /** Cost, confirmed value, value ÷ cost and cost per confirmed outcome (null where it divides by zero). */
  private static void figures(ObjectNode o, long costNanos, long valueNanos, long reported, long confirmed) {
    o.put("cost_usd", Money.formatUsd(costNanos));
    o.put("confirmed_value_usd", Money.formatUsd(valueNanos));
    o.put("outcomes", reported);
    o.put("confirmed_outcomes", confirmed);
    o.put("value_per_cost", costNanos == 0 ? null
        : BigDecimal.valueOf(valueNanos).divide(BigDecimal.valueOf(costNanos), 4, RoundingMode.HALF_UP).toPlainString());
    o.put("cost_per_confirmed_outcome_usd", confirmed == 0 ? null : Money.formatUsd(BigDecimal.valueOf(costNanos)
        .divide(BigDecimal.valueOf(confirmed), 0, RoundingMode.HALF_UP).longValueExact()));
  }
}
