package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.tollgate.node.admin.RecordFilters.Log;
import io.tollgate.persistence.query.DenialLogQuery;
import io.tollgate.persistence.query.OutcomeQuery;
import io.tollgate.persistence.query.RequestLogQuery;
import io.tollgate.persistence.query.SessionQuery;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import javax.sql.DataSource;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/requests}, {@code .../denials}, {@code .../sessions}, {@code .../outcomes} and
 * {@code .../roi}: the read models of what each request did and earned, read from their tables off the actor
 * threads once the org is known to exist. Parsing and rendering only.
 */
public final class RecordRoutes {
  /** How far back the request figures go when the call names no {@code from}: they read every request. */
  private static final Duration STATS_BY_DEFAULT = Duration.ofHours(24);

  private final OrgReads reads;
  private final RequestLogQuery requests;
  private final DenialLogQuery denials;
  private final SessionRoutes sessions;
  private final OutcomeRoutes outcomes;
  private final Clock clock;

  public RecordRoutes(OrgAdmin admin, DataSource pool, Executor blocking, Clock clock, Duration sessionIdle) {
    this.reads = new OrgReads(admin, blocking);
    this.requests = new RequestLogQuery(pool);
    this.denials = new DenialLogQuery(pool);
    OutcomeQuery outcomeQuery = new OutcomeQuery(pool);
    this.sessions = new SessionRoutes(admin, new SessionQuery(pool), requests, outcomeQuery, blocking, clock, sessionIdle);
    this.outcomes = new OutcomeRoutes(admin, outcomeQuery, blocking, clock);
    this.clock = clock;
  }

  Route sessions(String orgId) {
    return sessions.routes(orgId);
  }

  Route outcomes(String orgId) {
    return outcomes.outcomes(orgId);
  }

  Route roi(String orgId) {
    return outcomes.roi(orgId);
  }

  Route requests(String orgId) {
    return concat(
        pathEnd(() -> get(() -> listing(Log.REQUESTS, listing -> reads.read(orgId, "", () -> RecordsJson.requests(
            requests.list(orgId, listing.filter(), listing.limit(), listing.cursor())))))),
        path("stats", () -> get(() -> listing(Log.REQUESTS, listing -> {
          var filter = listing.filter().fromAtLeast(clock.instant().minus(STATS_BY_DEFAULT));
          return reads.read(orgId, "", () -> RecordsJson.stats(filter, requests.stats(orgId, filter)));
        }))),
        path(segment(), requestId -> get(() -> reads.read(orgId, "No request of that id in org '" + orgId + "'.", () -> {
          var found = requests.byRequestId(orgId, requestId);
          return found.isEmpty() ? null : RecordsJson.request(found.get(0));
        }))));
  }

  Route denials(String orgId) {
    return pathEnd(() -> get(() -> listing(Log.DENIALS, listing -> reads.read(orgId, "", () -> RecordsJson.denials(
        denials.list(orgId, listing.filter(), listing.limit(), listing.cursor()))))));
  }

  private static Route listing(Log log, Function<RecordFilters.Listing, Route> inner) {
    return parameterMap(params -> {
      RecordFilters.Listing listing;
      try {
        listing = RecordFilters.listing(log, params);
      } catch (InvalidRequestException e) {
        return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST,
            AdminJson.error("invalid_request_error", e.getMessage())));
      }
      return inner.apply(listing);
    });
  }
}
