package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.webhook.WebhookSignature;
import io.tollgate.node.webhook.WebhookTargets;
import io.tollgate.persistence.query.WebhookDeliveryQuery;
import io.tollgate.persistence.webhook.WebhookOutbox;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.org.Webhook;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/webhooks}: add (the secret shown once), list, remove, send a test, and each
 * webhook's deliveries with a retry. Parsing and rendering only; the org keeps its webhooks.
 */
public final class WebhookRoutes {
  private static final Set<String> DELIVERY_PARAMS = Set.of("limit");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OrgAdmin admin;
  private final WebhookTargets targets;
  private final WebhookDeliveryQuery deliveries;
  private final WebhookOutbox outbox;
  private final Executor blocking;
  private final Clock clock;

  public WebhookRoutes(OrgAdmin admin, WebhookTargets targets, WebhookDeliveryQuery deliveries, WebhookOutbox outbox,
      Executor blocking, Clock clock) {
    this.admin = admin;
    this.targets = targets;
    this.deliveries = deliveries;
    this.outbox = outbox;
    this.blocking = blocking;
    this.clock = clock;
  }

  Route webhooks(String orgId) {
    return concat(
        pathEnd(() -> concat(
            post(() -> AdminRoutes.body(json -> add(orgId, json))),
            get(() -> reply(orgId, id -> admin.listWebhooks(id), StatusCodes.OK,
                r -> WebhooksJson.webhooks(((AdminReply.WebhookList) r).webhooks()))))),
        pathPrefix(segment(), webhookId -> concat(
            pathEnd(() -> delete(() -> completeWithFuture(admin.removeWebhook(orgId, webhookId)
                .thenApply(r -> r instanceof AdminReply.Rejected rejected ? AdminRoutes.rejection(rejected)
                    : HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))
                .exceptionally(AdminRoutes::unavailable)))),
            path("test", () -> post(() -> reply(orgId, id -> admin.testWebhook(id, webhookId), StatusCodes.ACCEPTED,
                r -> AdminJson.MAPPER.createObjectNode().put("webhook_id", webhookId).put("status", "queued")))),
            pathPrefix("deliveries", () -> concat(
                pathEnd(() -> get(() -> QueryParams.parsed(DELIVERY_PARAMS, params -> {
                  int limit = RecordFilters.limit(params);
                  return () -> ofWebhook(orgId, webhookId, () -> AdminRoutes.jsonResponse(StatusCodes.OK,
                      WebhooksJson.deliveries(webhookId, deliveries.recent(orgId, webhookId, limit))));
                }))),
                path(segment().slash("retry"), messageId -> post(() -> ofWebhook(orgId, webhookId,
                    () -> outbox.retry(orgId, webhookId, messageId)
                        ? AdminRoutes.jsonResponse(StatusCodes.ACCEPTED, AdminJson.MAPPER.createObjectNode()
                            .put("id", messageId).put("status", "pending"))
                        : AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found",
                            "No delivery '" + messageId + "' of webhook '" + webhookId + "'."))))))))));
  }

  private Route add(String orgId, JsonNode json) {
    String url = json.path("url").isTextual() ? json.path("url").asText() : null;
    String problem = targets.refusal(url).orElse(null);
    List<String> events = new ArrayList<>();
    JsonNode eventsNode = json.get("events");
    if (problem == null && eventsNode != null && !eventsNode.isNull()) {
      if (!eventsNode.isArray()) {
        problem = "\"events\" must be a list of event types: " + String.join(", ", Webhook.EVENT_TYPES);
      } else {
        for (JsonNode type : eventsNode) {
          if (!type.isTextual() || !Webhook.EVENT_TYPES.contains(type.asText())) {
            problem = "Unknown event type " + type + ". Types: " + String.join(", ", Webhook.EVENT_TYPES);
            break;
          }
          if (!events.contains(type.asText())) {
            events.add(type.asText());
          }
        }
      }
    }
    String format = json.path("format").isMissingNode() || json.path("format").isNull() ? Webhook.STANDARD
        : json.path("format").asText("");
    if (problem == null && !format.equals(Webhook.STANDARD) && !format.equals(Webhook.SLACK)) {
      problem = "\"format\" must be \"standard\" (Standard Webhooks) or \"slack\".";
    }
    if (problem != null) {
      return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", problem)));
    }
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    // Every type named is every type there is: stored as none named, so types added later reach it too.
    Webhook webhook = new Webhook("wh_" + HexFormat.of().formatHex(id), url,
        events.containsAll(Webhook.EVENT_TYPES) ? List.of() : events, format, WebhookSignature.newSecret(), clock.millis());
    return reply(orgId, o -> admin.addWebhook(o, webhook), StatusCodes.CREATED,
        r -> WebhooksJson.webhook(((AdminReply.WebhookDescription) r).webhook(), true));
  }

  private Route reply(String orgId, Function<String, CompletionStage<AdminReply>> call, StatusCode success,
      Function<AdminReply, JsonNode> render) {
    if (!OrgIds.isValid(orgId)) {
      return complete(AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No org '" + orgId + "'.")));
    }
    return completeWithFuture(call.apply(orgId)
        .thenApply(r -> r instanceof AdminReply.Rejected rejected ? AdminRoutes.rejection(rejected)
            : AdminRoutes.jsonResponse(success, render.apply(r)))
        .exceptionally(AdminRoutes::unavailable));
  }

  @FunctionalInterface
  private interface Query {
    HttpResponse run() throws SQLException;
  }

  /** The query, on the blocking pool, once the org is known to have the webhook; 404 otherwise. */
  private Route ofWebhook(String orgId, String webhookId, Query query) {
    if (!OrgIds.isValid(orgId)) {
      return complete(AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No org '" + orgId + "'.")));
    }
    return completeWithFuture(admin.listWebhooks(orgId).thenCompose(r -> {
      if (r instanceof AdminReply.Rejected rejected) {
        return CompletableFuture.completedFuture(AdminRoutes.rejection(rejected));
      }
      boolean known = ((AdminReply.WebhookList) r).webhooks().stream().anyMatch(w -> w.id().equals(webhookId));
      if (!known) {
        return CompletableFuture.completedFuture(AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND,
            AdminJson.error("not_found", "No webhook '" + webhookId + "' in org '" + orgId + "'.")));
      }
      return CompletableFuture.supplyAsync(() -> {
        try {
          return query.run();
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      }, blocking);
    }).exceptionally(AdminRoutes::unavailable));
  }
}
