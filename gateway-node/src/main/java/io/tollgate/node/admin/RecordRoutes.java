package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.persistence.query.RequestLogQuery;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/requests}: the request log, read from its table off the actor threads once the org
 * is known to exist. Parsing and rendering only.
 */
public final class RecordRoutes {
  private final OrgAdmin admin;
  private final RequestLogQuery requests;
  private final Executor blocking;

  public RecordRoutes(OrgAdmin admin, RequestLogQuery requests, Executor blocking) {
    this.admin = admin;
    this.requests = requests;
    this.blocking = blocking;
  }

  Route requests(String orgId) {
    return concat(
        pathEnd(() -> get(() -> parameterMap(params -> {
          RecordFilters.Listing listing;
          try {
            listing = RecordFilters.listing(params);
          } catch (InvalidRequestException e) {
            return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST,
                AdminJson.error("invalid_request_error", e.getMessage())));
          }
          return read(orgId, () -> requests.list(orgId, listing.filter(), listing.limit(), listing.cursor()),
              RecordsJson::requests);
        }))),
        path(segment(), requestId -> get(() -> read(orgId, () -> requests.byRequestId(orgId, requestId),
            found -> found.isEmpty() ? null : RecordsJson.request(found.get(0))))));
  }

  /** A blocking read of the org's records, rendered; a render of null is a 404 (no such record). */
  private <T> Route read(String orgId, Read<T> query, Function<T, JsonNode> render) {
    if (!OrgIds.isValid(orgId)) {
      return complete(notFound("No org '" + orgId + "'."));
    }
    CompletionStage<HttpResponse> answer = admin.describe(orgId).thenCompose(reply -> {
      if (reply instanceof AdminReply.Rejected) {
        return CompletableFuture.completedFuture(notFound("No org '" + orgId + "'."));
      }
      return CompletableFuture.supplyAsync(() -> {
        T result = run(query);
        JsonNode body = render.apply(result);
        return body == null ? notFound("No such record in org '" + orgId + "'.")
            : AdminRoutes.jsonResponse(StatusCodes.OK, body);
      }, blocking);
    });
    return completeWithFuture(answer.exceptionally(AdminRoutes::unavailable));
  }

  private static HttpResponse notFound(String message) {
    return AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", message));
  }

  private static <T> T run(Read<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  @FunctionalInterface
  private interface Read<T> {
    T run() throws SQLException;
  }
}
