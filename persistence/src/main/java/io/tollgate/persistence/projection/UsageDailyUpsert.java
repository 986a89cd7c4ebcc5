package io.tollgate.persistence.projection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Adds a group's usage, summed by {@link DailyUsage}, to {@code usage_daily} in one statement; the request log's
 * projection calls it in the transaction that moves its offset, so each usage batch counts exactly once.
 */
final class UsageDailyUpsert {
  private static final String[] SUMS = {"requests", "input_tokens", "output_tokens", "cache_read_tokens",
      "cache_write_tokens", "reasoning_tokens", "cost_nanos", "estimated_requests", "unpriced_requests"};
  /** Sums saturate at the largest int8 rather than fail: a group that cannot be written stops every org's spend. */
  private static final String MAX_INT8 = "9223372036854775807";
  /**
   * A group's rows in one statement, as typed arrays unnested into rows: one round trip, nothing for the driver
   * to pipeline (a batch of single-row upserts stalled, docs/benchmarks.md). The rows are summed by key once
   * more in SQL: two strings Java tells apart can be one in the database (an unpaired surrogate is sent as
   * '?'), and one statement may not update a row twice.
   */
  private static final String UPSERT = """
      INSERT INTO usage_daily (org_id, day, key_id, agent, team, customer, user_id, provider, model, %1$s)
      SELECT org_id, day, key_id, agent, team, customer, user_id, provider, model, %2$s
      FROM unnest(?::text[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
        ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[])
        AS u(org_id, day, key_id, agent, team, customer, user_id, provider, model, %1$s)
      GROUP BY org_id, day, key_id, agent, team, customer, user_id, provider, model
      ON CONFLICT (org_id, day, key_id, agent, team, customer, user_id, provider, model) DO UPDATE SET %3$s
      """.formatted(String.join(", ", SUMS),
      String.join(", ", Arrays.stream(SUMS).map(c -> "least(sum(" + c + "), " + MAX_INT8 + ")::int8").toList()),
      String.join(", ", Arrays.stream(SUMS)
          .map(c -> c + " = least(usage_daily." + c + "::numeric + EXCLUDED." + c + ", " + MAX_INT8 + ")::int8").toList()));

  private UsageDailyUpsert() {}

  /** Adds the rows to {@code usage_daily}; returns how many rows it inserted or updated. */
  static int upsert(Connection connection, Map<DailyUsage.Row, DailyUsage.Sums> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    List<DailyUsage.Row> keys = List.copyOf(rows.keySet());
    List<DailyUsage.Sums> sums = keys.stream().map(rows::get).toList();
    try (PreparedStatement st = connection.prepareStatement(UPSERT)) {
      int i = 1;
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::orgId));
      st.setArray(i++, texts(connection, keys, row -> row.day().toString()));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::keyId));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::agent));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::team));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::customer));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::user));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::provider));
      st.setArray(i++, texts(connection, keys, DailyUsage.Row::model));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::requests));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::inputTokens));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::outputTokens));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::cacheReadTokens));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::cacheWriteTokens));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::reasoningTokens));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::costNanos));
      st.setArray(i++, numbers(connection, sums, DailyUsage.Sums::estimatedRequests));
      st.setArray(i, numbers(connection, sums, DailyUsage.Sums::unpricedRequests));
      return st.executeUpdate();
    }
  }

  private static Array texts(Connection connection, List<DailyUsage.Row> rows, Function<DailyUsage.Row, String> column)
      throws SQLException {
    return connection.createArrayOf("text", rows.stream().map(column).toArray(String[]::new));
  }

  private static Array numbers(Connection connection, List<DailyUsage.Sums> sums, ToLongFunction<DailyUsage.Sums> column)
      throws SQLException {
    return connection.createArrayOf("int8", sums.stream().map(s -> column.applyAsLong(s)).toArray(Long[]::new));
  }
}
