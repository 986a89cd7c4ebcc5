package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.UsageQuery;
import io.tollgate.persistence.query.UsageQuery.Dimension;
import io.tollgate.persistence.query.UsageQuery.Metric;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/usage} (totals and a series under filters), {@code .../usage/leaderboard}, and the
 * operator's {@code /admin/usage/leaderboard?dimension=org}: from {@code usage_daily}. Parsing and rendering.
 */
public final class UsageRoutes {
  static final int DEFAULT_LEADERS = 10;
  static final int MAX_LEADERS = 100;
  private static final Set<String> USAGE_PARAMS = Set.of("from", "to", "by", "key", "agent", "team", "customer", "user",
      "provider", "model");
  private static final Set<String> LEADERBOARD_PARAMS = Set.of("from", "to", "dimension", "metric", "limit");
  private static final List<String> ORG_DIMENSIONS = List.of("team", "user", "agent", "customer", "key", "model",
      "provider");

  private final OrgReads reads;
  private final UsageQuery usage;
  private final Clock clock;

  public UsageRoutes(OrgAdmin admin, UsageQuery usage, Executor blocking, Clock clock) {
    this.reads = new OrgReads(admin, blocking);
    this.usage = usage;
    this.clock = clock;
  }

  /** Under {@code /admin/orgs/{org}/usage}. */
  Route orgUsage(String orgId) {
    return concat(
        pathEnd(() -> get(() -> QueryParams.parsed(USAGE_PARAMS, params -> {
          SpendReport.Days days = days(params);
          UsageQuery.Step step = oneOf(params, "by", List.of("day", "month")).map(b -> UsageQuery.Step.valueOf(
              b.toUpperCase(Locale.ROOT))).orElse(UsageQuery.Step.DAY);
          UsageQuery.Filter filter = new UsageQuery.Filter(params.get("key"), params.get("agent"), params.get("team"),
              params.get("customer"), params.get("user"), params.get("provider"), params.get("model"));
          return () -> reads.read(orgId, "", () -> usage(orgId, days, step, filter,
              usage.usage(orgId, days.from(), days.to(), filter, step)));
        }))),
        path("leaderboard", () -> get(() -> QueryParams.parsed(LEADERBOARD_PARAMS, params -> {
          Board board = board(params, ORG_DIMENSIONS);
          return () -> reads.read(orgId, "", () -> leaderboard(orgId, board,
              usage.leaderboard(orgId, board.dimension(), board.metric(), board.days().from(), board.days().to(),
                  board.limit())));
        }))));
  }

  /** Under {@code /admin/usage}: every org's, for the operator. */
  Route allUsage() {
    return path("leaderboard", () -> get(() -> QueryParams.parsed(LEADERBOARD_PARAMS, params -> {
      Board board = board(params, List.of("org"));
      return () -> reads.readAll(() -> leaderboard(null, board, usage.leaderboard(null, board.dimension(),
          board.metric(), board.days().from(), board.days().to(), board.limit())));
    })));
  }

  private record Board(Dimension dimension, Metric metric, SpendReport.Days days, int limit) {}

  private Board board(Map<String, String> params, List<String> dimensions) {
    String dimension = oneOf(params, "dimension", dimensions).orElseThrow(() -> new InvalidRequestException(
        "'dimension' is required: one of " + String.join(", ", dimensions) + "."));
    Metric metric = oneOf(params, "metric", List.of("cost", "tokens", "requests")).flatMap(Metric::of)
        .orElse(Metric.COST);
    return new Board(Dimension.of(dimension).orElseThrow(), metric, days(params),
        RecordFilters.limit(params, DEFAULT_LEADERS, MAX_LEADERS));
  }

  private SpendReport.Days days(Map<String, String> params) {
    return SpendReport.days(Optional.ofNullable(params.get("from")), Optional.ofNullable(params.get("to")), clock);
  }

  private static Optional<String> oneOf(Map<String, String> params, String name, List<String> values) {
    return Optional.ofNullable(RecordFilters.oneOf(params, name, values));
  }



  private static ObjectNode usage(String orgId, SpendReport.Days days, UsageQuery.Step step, UsageQuery.Filter filter,
      UsageQuery.Usage usage) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    o.put("from", days.from().toString());
    o.put("to", days.to().toString());
    o.put("by", step.name().toLowerCase(Locale.ROOT));
    ObjectNode filters = o.putObject("filters");
    putIf(filters, "key", filter.key());
    putIf(filters, "agent", filter.agent());
    putIf(filters, "team", filter.team());
    putIf(filters, "customer", filter.customer());
    putIf(filters, "user", filter.user());
    putIf(filters, "provider", filter.provider());
    putIf(filters, "model", filter.model());
    o.put("last_projected_at", usage.lastProjectedAt() == null ? null : usage.lastProjectedAt().toString());
    AdminJson.sums(o.putObject("total"), usage.total());
    ArrayNode series = o.putArray("series");
    for (UsageQuery.Point p : usage.series()) {
      ObjectNode point = series.addObject();
      point.put(step == UsageQuery.Step.DAY ? "day" : "month",
          step == UsageQuery.Step.DAY ? p.start().toString() : p.start().toString().substring(0, 7));
      AdminJson.sums(point, p.sums());
    }
    return o;
  }

  private static JsonNode leaderboard(String orgId, Board board, List<UsageQuery.Leader> leaders) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    if (orgId != null) {
      o.put("org", orgId);
    }
    o.put("dimension", board.dimension().label());
    o.put("metric", board.metric().name().toLowerCase(Locale.ROOT));
    o.put("from", board.days().from().toString());
    o.put("to", board.days().to().toString());
    ArrayNode array = o.putArray("leaders");
    int rank = 1;
    for (UsageQuery.Leader leader : leaders) {
      ObjectNode row = array.addObject();
      row.put("rank", rank++);
      row.put(board.dimension().label(), leader.value());
      AdminJson.sums(row, leader.sums());
    }
    return o;
  }

  private static void putIf(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
