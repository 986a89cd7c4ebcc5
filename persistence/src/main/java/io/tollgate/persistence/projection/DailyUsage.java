package io.tollgate.persistence.projection;

import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.UsageRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Usage records summed into rows of the {@code usage_daily} read model: one row per org, UTC day of
 * admission (the day the request counts in, as the month does for quotas), key, agent, team, customer, end
 * user, provider and model.
 */
public final class DailyUsage {
  /**
   * Longer attribution values or model names are cut and unsafe characters replaced ({@link SafeText}), so no
   * record, however it reached the journal, can make a row unwritable (PostgreSQL's text refuses NUL).
   */
  static final int MAX_DIMENSION_LENGTH = 256;

  public record Row(String orgId, LocalDate day, String keyId, String agent, String team, String customer,
      String user, String provider, String model) {}

  public record Sums(long requests, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
      long reasoningTokens, long costNanos, long estimatedRequests, long unpricedRequests) {
    public static final Sums NONE = new Sums(0, 0, 0, 0, 0, 0, 0, 0, 0);

    static Sums of(UsageRecord r) {
      Long reasoning = r.tokens().reasoning();
      return new Sums(1, r.tokens().input(), r.tokens().output(), r.tokens().cacheRead(), r.tokens().cacheWrite(),
          reasoning == null ? 0 : reasoning, r.costNanos(), r.estimated() ? 1 : 0, r.unpriced() ? 1 : 0);
    }

    public Sums plus(Sums o) {
      // Saturating: a record with absurd counts must not stop the projection for every org.
      return new Sums(requests + o.requests, Saturating.add(inputTokens, o.inputTokens),
          Saturating.add(outputTokens, o.outputTokens), Saturating.add(cacheReadTokens, o.cacheReadTokens),
          Saturating.add(cacheWriteTokens, o.cacheWriteTokens), Saturating.add(reasoningTokens, o.reasoningTokens),
          Saturating.add(costNanos, o.costNanos), estimatedRequests + o.estimatedRequests,
          unpricedRequests + o.unpricedRequests);
    }
  }

  private final Map<Row, Sums> rows = new LinkedHashMap<>();

  public void add(String orgId, UsageRecord record) {
    Attribution a = record.attribution() == null ? Attribution.NONE : record.attribution();
    Row row = new Row(orgId, LocalDate.ofInstant(Instant.ofEpochMilli(record.admittedAtMillis()), ZoneOffset.UTC),
        dimension(record.keyId()), dimension(a.agent()), dimension(a.team()), dimension(a.customer()),
        dimension(a.user()), dimension(record.provider()), dimension(record.model()));
    rows.merge(row, Sums.of(record), Sums::plus);
  }

  public Map<Row, Sums> rows() {
    return rows;
  }

  private static String dimension(String value) {
    return value == null ? "" : SafeText.clean(value, MAX_DIMENSION_LENGTH);
  }
}
