package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.org.OrgProfile;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Reads of an org's read models: 404 unless the org exists, then the query on the blocking pool. */
final class OrgReads {
  /** A query of the read models and its rendering; null when what was asked for does not exist. */
  @FunctionalInterface
  interface Read {
    JsonNode run() throws SQLException;
  }

  private final OrgAdmin admin;
  private final Executor blocking;

  OrgReads(OrgAdmin admin, Executor blocking) {
    this.admin = admin;
    this.blocking = blocking;
  }

  /** An answer made from the org's profile, off the actor threads. */
  @FunctionalInterface
  interface Answer {
    HttpResponse of(OrgProfile profile) throws SQLException;
  }

  /** {@code missing} is the 404's message when the query finds nothing. */
  Route read(String orgId, String missing, Read query) {
    return answer(orgId, profile -> {
      JsonNode body = query.run();
      return body == null ? notFound(missing) : AdminRoutes.jsonResponse(StatusCodes.OK, body);
    });
  }

  /** The org's profile (name, markup), then the answer made from it on the blocking pool; 404 without the org. */
  Route answer(String orgId, Answer answer) {
    if (!OrgIds.isValid(orgId)) {
      return complete(notFound("No org '" + orgId + "'."));
    }
    CompletionStage<HttpResponse> response = admin.describe(orgId).thenCompose(reply -> {
      if (!(reply instanceof AdminReply.OrgDescription d)) {
        return CompletableFuture.completedFuture(notFound("No org '" + orgId + "'."));
      }
      return CompletableFuture.supplyAsync(() -> {
        try {
          return answer.of(d.profile());
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      }, blocking);
    });
    return completeWithFuture(response.exceptionally(AdminRoutes::unavailable));
  }

  /** A read of every org's figures (the operator's): the query on the blocking pool. */
  Route readAll(Read query) {
    return completeWithFuture(CompletableFuture.supplyAsync(() -> AdminRoutes.jsonResponse(StatusCodes.OK, run(query)),
        blocking).exceptionally(AdminRoutes::unavailable));
  }

  private static HttpResponse notFound(String message) {
    return AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", message));
  }

  private static JsonNode run(Read query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }
}
