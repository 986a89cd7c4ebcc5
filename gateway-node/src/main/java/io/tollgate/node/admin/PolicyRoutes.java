package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.put;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.org.AdminReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/policies} and {@code /admin/orgs/{org}/keys/{key}/policies}: GET the policy, PUT
 * changes the fields it names. Parsing and rendering only.
 */
final class PolicyRoutes {
  private final OrgAdmin admin;

  PolicyRoutes(OrgAdmin admin) {
    this.admin = admin;
  }

  /** The org's policy ({@code keyId} null) or a key's. */
  Route policy(String orgId, String keyId) {
    return pathEnd(() -> concat(
        get(() -> reply(orgId, admin.policy(orgId, keyId))),
        put(() -> AdminRoutes.body(json -> reply(orgId, change(orgId, keyId, json))))));
  }

  private CompletionStage<AdminReply> change(String orgId, String keyId, JsonNode json) {
    return admin.policy(orgId, keyId).thenCompose(r -> r instanceof AdminReply.PolicyDescription d
        ? admin.setPolicy(orgId, keyId, PolicyJson.read(json, d.policy())) : CompletableFuture.completedFuture(r));
  }

  private Route reply(String orgId, CompletionStage<AdminReply> call) {
    return AdminRoutes.rendered(orgId, call, PolicyRoutes::render);
  }

  private static HttpResponse render(AdminReply reply) {
    return reply instanceof AdminReply.PolicyDescription d ? AdminRoutes.jsonResponse(StatusCodes.OK, PolicyJson.write(d))
        : AdminRoutes.rejection((AdminReply.Rejected) reply);
  }
}
