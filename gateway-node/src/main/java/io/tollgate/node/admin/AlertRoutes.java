package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/alerts} (the alert policy, the blocks in force, the latest anomalies; PUT changes the
 * fields it names) and {@code DELETE /admin/orgs/{org}/blocks/{scope}} (lift a block). Parsing and rendering only.
 */
final class AlertRoutes {
  private final OrgAdmin admin;

  AlertRoutes(OrgAdmin admin) {
    this.admin = admin;
  }

  Route alerts(String orgId) {
    return pathEnd(() -> concat(
        get(() -> reply(orgId, admin.alerts(orgId))),
        put(() -> AdminRoutes.body(json -> reply(orgId, change(orgId, json))))));
  }

  Route blocks(String orgId) {
    return path(segment(), scope -> delete(() -> {
      ScopeKey key = ScopeKey.parse(scope);
      if (key == null || key.scope() != Scope.AGENT && key.scope() != Scope.KEY) {
        return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error",
            "A block is on an agent or a key: agent:<name> or key:<id>.")));
      }
      return reply(orgId, admin.liftBlock(orgId, key.id()));
    }));
  }

  /** The policy in force with the fields of {@code json} over it, then set. */
  private CompletionStage<AdminReply> change(String orgId, JsonNode json) {
    AlertsJson.check(json);
    return admin.alerts(orgId).thenCompose(r -> r instanceof AdminReply.AlertsDescription d
        ? admin.setAlerts(orgId, AlertsJson.policy(json, d.policy())) : CompletableFuture.completedFuture(r));
  }

  private Route reply(String orgId, CompletionStage<AdminReply> call) {
    return AdminRoutes.rendered(orgId, call, AlertRoutes::render);
  }

  private static HttpResponse render(AdminReply reply) {
    return reply instanceof AdminReply.AlertsDescription d ? AdminRoutes.jsonResponse(StatusCodes.OK, AlertsJson.alerts(d))
        : AdminRoutes.rejection((AdminReply.Rejected) reply);
  }
}
