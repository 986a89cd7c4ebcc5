package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.LogFilter;
import io.tollgate.persistence.query.OutcomeQuery;
import io.tollgate.persistence.query.RequestLogQuery;
import io.tollgate.persistence.query.SessionQuery;
import io.tollgate.persistence.query.SessionQuery.SessionSummary;
import io.tollgate.protocol.org.AdminReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/sessions}: sessions listed by recency or cost, one with its requests in order, and
 * closing one (journaled by the org). Reads off the actor threads once the org is known. Parsing and rendering.
 */
public final class SessionRoutes {
  /** A session's requests shown with it; more are in the request log ({@code ?session=}). */
  static final int REQUESTS_SHOWN = 1000;
  private static final Set<String> PARAMS = Set.of("from", "to", "agent", "customer", "user", "status", "sort", "limit",
      "cursor");

  private final OrgAdmin admin;
  private final OrgReads reads;
  private final SessionQuery sessions;
  private final RequestLogQuery requests;
  private final OutcomeQuery outcomes;
  private final Clock clock;
  private final Duration idle;

  public SessionRoutes(OrgAdmin admin, SessionQuery sessions, RequestLogQuery requests, OutcomeQuery outcomes,
      Executor blocking, Clock clock, Duration idle) {
    this.admin = admin;
    this.reads = new OrgReads(admin, blocking);
    this.sessions = sessions;
    this.requests = requests;
    this.outcomes = outcomes;
    this.clock = clock;
    this.idle = idle;
  }

  Route routes(String orgId) {
    return concat(
        pathEnd(() -> get(() -> QueryParams.parsed(PARAMS, params -> {
          Listing listing = listing(params);
          return () -> reads.read(orgId, "", () -> RecordsJson.sessions(sessions.list(orgId, listing.filter(),
              listing.sort(), listing.limit(), listing.cursor(), idleSince())));
        }))),
        path(segment(), session -> get(() -> reads.read(orgId, noSession(orgId), () -> {
          Optional<SessionSummary> found = sessions.one(orgId, session, idleSince());
          if (found.isEmpty()) {
            return null;
          }
          SessionSummary summary = found.get();
          ObjectNode o = RecordsJson.session(summary, requests.bySession(orgId, session, summary.firstAtMillis(),
              summary.lastAtMillis(), REQUESTS_SHOWN));
          o.set("outcomes", OutcomesJson.list(outcomes.ofSession(orgId, session)));
          return o;
        }))),
        path(segment().slash("close"), session -> post(() -> close(orgId, session))));
  }

  /** Closed by the org's journal; the read model shows it within about a second. */
  private Route close(String orgId, String session) {
    return reads.read(orgId, noSession(orgId), () -> sessions.one(orgId, session, idleSince()).map(s -> {
      AdminReply reply = admin.closeSession(orgId, session).toCompletableFuture().join();
      if (reply instanceof AdminReply.Rejected r) {
        throw new CompletionException(new IllegalStateException(r.message()));
      }
      ObjectNode o = AdminJson.MAPPER.createObjectNode();
      o.put("session", session);
      o.put("status", "completed");
      o.put("closed_at", clock.instant().toString());
      return o;
    }).orElse(null));
  }

  private static String noSession(String orgId) {
    return "No session of that id in org '" + orgId + "'.";
  }

  private Instant idleSince() {
    return clock.instant().minus(idle);
  }

  private record Listing(SessionQuery.Filter filter, SessionQuery.Sort sort, int limit, LogFilter.Cursor cursor) {}

  private static Listing listing(Map<String, String> params) {
    String status = RecordFilters.oneOf(params, "status", List.of("active", "completed"));
    String sort = RecordFilters.oneOf(params, "sort", List.of("time", "cost"));
    SessionQuery.Filter filter = new SessionQuery.Filter(RecordFilters.instant(params, "from", false),
        RecordFilters.instant(params, "to", true), RecordFilters.text(params, "agent"),
        RecordFilters.text(params, "customer"), RecordFilters.text(params, "user"),
        status == null ? null : status.equals("active"));
    return new Listing(filter, "cost".equals(sort) ? SessionQuery.Sort.COST : SessionQuery.Sort.TIME,
        RecordFilters.limit(params), RecordFilters.cursor(params));
  }
}
