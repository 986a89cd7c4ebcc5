package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.persistence.query.OutcomeQuery;
import io.tollgate.persistence.query.OutcomeQuery.ReportedOutcome;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.AdminReply;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/outcomes} (list, one, confirm, reject) and {@code /admin/orgs/{org}/roi}: the
 * outcomes applications reported and what the spend earned. Parsing and rendering only.
 */
public final class OutcomeRoutes {
  private static final Set<String> LIST_PARAMS = Set.of("from", "to", "status", "session", "name", "agent",
      "customer", "limit", "cursor");
  private static final Set<String> ROI_PARAMS = Set.of("from", "to", "by");

  private final OrgAdmin admin;
  private final OrgReads reads;
  private final OutcomeQuery outcomes;
  private final Clock clock;

  public OutcomeRoutes(OrgAdmin admin, OutcomeQuery outcomes, Executor blocking, Clock clock) {
    this.admin = admin;
    this.reads = new OrgReads(admin, blocking);
    this.outcomes = outcomes;
    this.clock = clock;
  }

  Route outcomes(String orgId) {
    return concat(
        pathEnd(() -> get(() -> QueryParams.parsed(LIST_PARAMS, params -> {
          OutcomeQuery.Filter filter = new OutcomeQuery.Filter(RecordFilters.instant(params, "from", false),
              RecordFilters.instant(params, "to", true),
              RecordFilters.oneOf(params, "status", List.of("recorded", "confirmed", "rejected")),
              RecordFilters.text(params, "session"), RecordFilters.text(params, "name"),
              RecordFilters.text(params, "agent"), RecordFilters.text(params, "customer"));
          int limit = RecordFilters.limit(params);
          var cursor = RecordFilters.cursor(params);
          return () -> reads.read(orgId, "", () -> OutcomesJson.page(outcomes.list(orgId, filter, limit, cursor)));
        }))),
        path(segment(), id -> get(() -> reads.read(orgId, noOutcome(orgId),
            () -> outcomes.one(orgId, id).map(OutcomesJson::outcome).orElse(null)))),
        path(segment().slash("confirm"), id -> post(() -> AdminRoutes.body(json -> review(orgId, id, true, json)))),
        path(segment().slash("reject"), id -> post(() -> AdminRoutes.body(json -> review(orgId, id, false, json)))));
  }

  Route roi(String orgId) {
    return pathEnd(() -> get(() -> QueryParams.parsed(ROI_PARAMS, params -> {
      SpendReport.Days days = SpendReport.days(Optional.ofNullable(params.get("from")),
          Optional.ofNullable(params.get("to")), clock);
      OutcomeQuery.By by = OutcomeQuery.By.valueOf(Optional.ofNullable(RecordFilters.oneOf(params, "by",
          List.of("agent", "outcome", "customer"))).orElse("agent").toUpperCase(Locale.ROOT));
      return () -> reads.read(orgId, "", () -> OutcomesJson.roi(orgId, by, days,
          outcomes.roi(orgId, by, days.from(), days.to())));
    })));
  }

  /** Journaled by the org; shown by the read model within about a second. */
  private Route review(String orgId, String id, boolean confirmed, JsonNode json) {
    JsonNode byNode = json.get("by");
    String by = byNode == null || byNode.isNull() ? null : byNode.asText("");
    if (by != null && (by.isEmpty() || by.length() > 128 || !SafeText.isSafe(by))) {
      return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error",
          "'by' must be 1-128 printable characters (who reviewed it).")));
    }
    return reads.read(orgId, noOutcome(orgId), () -> {
      Optional<ReportedOutcome> found = outcomes.one(orgId, id);
      if (found.isEmpty()) {
        return null;
      }
      AdminReply reply = admin.reviewOutcome(orgId, id, confirmed, by).toCompletableFuture().join();
      if (reply instanceof AdminReply.Rejected r) {
        throw new CompletionException(new IllegalStateException(r.message()));
      }
      ReportedOutcome o = found.get();
      return OutcomesJson.outcome(new ReportedOutcome(o.id(), o.session(), o.name(), o.valueNanos(), o.metadataJson(),
          o.keyId(), o.agent(), o.customer(), o.reportedAtMillis(), confirmed ? "confirmed" : "rejected", by,
          clock.millis()));
    });
  }

  private static String noOutcome(String orgId) {
    return "No outcome of that id in org '" + orgId + "'.";
  }


}
