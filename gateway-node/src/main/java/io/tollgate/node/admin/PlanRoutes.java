package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.org.PlanCommand;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.provider.InvalidRequestException;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /admin/plans}: named limit templates an org can be put on. Parsing and rendering only. */
final class PlanRoutes {
  private final PlanAdmin plans;

  PlanRoutes(PlanAdmin plans) {
    this.plans = plans;
  }

  Route routes() {
    return concat(
        pathEnd(() -> get(() -> completeWithFuture(plans.list()
            .thenApply(reply -> AdminRoutes.jsonResponse(StatusCodes.OK, list((PlanCommand.Plans) reply)))
            .exceptionally(AdminRoutes::unavailable)))),
        path(segment(), plan -> put(() -> AdminRoutes.body(json -> {
          String name = name(plan);
          return completeWithFuture(plans.set(name, AdminJson.limits(json.has("limits") ? json.get("limits") : json))
              .thenApply(reply -> AdminRoutes.jsonResponse(StatusCodes.OK, changed((PlanCommand.PlanChanged) reply)))
              .exceptionally(AdminRoutes::unavailable));
        }))));
  }

  /** A plan's name: the same form as an org's id. */
  static String name(String plan) {
    if (!OrgIds.isValid(plan)) {
      throw new InvalidRequestException("A plan's name must match [a-z0-9][a-z0-9-]{0,62}.");
    }
    return plan;
  }

  /** The plan named in an org's settings: {@code "plan": "pro"}, or null for none. */
  static String named(JsonNode json) {
    JsonNode plan = json.get("plan");
    return plan == null || plan.isNull() ? null : name(plan.asText(""));
  }

  private static ObjectNode list(PlanCommand.Plans plans) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode array = o.putArray("plans");
    plans.orgs().forEach((name, orgs) -> {
      ObjectNode plan = array.addObject();
      plan.put("plan", name);
      plan.set("limits", AdminJson.limits(plans.limits().get(name)));
      plan.put("orgs", orgs);
    });
    return o;
  }

  private static ObjectNode changed(PlanCommand.PlanChanged changed) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("plan", changed.plan());
    o.set("limits", AdminJson.limits(changed.limits()));
    o.put("orgs", changed.orgs());
    o.put("orgs_updated", changed.applied());
    return o;
  }
}
