package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.mapRouteResultFuture;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.access.AdminPrincipal;
import io.tollgate.persistence.query.AuditQuery;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.AuditEntry;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail. Every change an admin call makes to an org goes on the org's journal: who (the token, its name
 * and role), the call, its status, and the part of the org it changed before and after, as the admin API shows
 * that part (its limits, keys, policy, alerts, webhooks, prices, or the org itself). {@code GET
 * /admin/orgs/{org}/audit} lists it, newest first.
 */
public final class AuditRoutes {
  private static final Logger log = LoggerFactory.getLogger(AuditRoutes.class);
  private static final Set<String> PARAMS = Set.of("limit", "cursor");
  private static final int MAX_PART = 256 * 1024;

  private final OrgAdmin admin;
  private final AuditQuery query;
  private final OrgReads reads;
  private final Clock clock;
  private final String catalogVersion;

  public AuditRoutes(OrgAdmin admin, AuditQuery query, Executor blocking, Clock clock, String catalogVersion) {
    this.admin = admin;
    this.query = query;
    this.reads = new OrgReads(admin, blocking);
    this.clock = clock;
    this.catalogVersion = catalogVersion;
  }

  Route list(String orgId) {
    return pathEnd(() -> get(() -> QueryParams.parsed(PARAMS, params -> {
      int limit = RecordFilters.limit(params);
      String cursor = params.get("cursor");
      if (cursor != null && !cursor.matches("\\d{1,15}\\.\\d{1,19}")) {
        throw new InvalidRequestException("'cursor' must be a next_cursor of this list.");
      }
      return () -> reads.read(orgId, "", () -> page(query.list(orgId, limit, cursor)));
    })));
  }

  /** {@code inner}, and if it changes an org (any call but a read, under /admin/orgs/{org}), its audit entry. */
  Route audited(AdminPrincipal who, HttpRequest request, List<String> path, Supplier<Route> inner) {
    String method = request.method().value();
    if (method.equals("GET") || method.equals("HEAD") || path.size() < 2 || !path.get(0).equals("orgs")) {
      return inner.get();
    }
    String orgId = path.get(1);
    String action = method + " " + request.getUri().path();
    // Journaled before the answer leaves: a change its caller saw done is on the org's journal, trail included.
    return onComplete(part(orgId, path), before -> mapRouteResultFuture(result -> result.thenCompose(done -> {
      int status = done instanceof Complete c ? c.getResponse().status().intValue() : 500;
      if (status >= 400) {
        return CompletableFuture.completedFuture(done);
      }
      return part(orgId, path).thenCompose(after -> record(who, orgId, action, status,
          before.isSuccess() ? before.get() : null, after)).thenApply(recorded -> done);
    }), inner));
  }

  /**
   * Puts a change on the org's audit trail; also for changes made outside {@code /admin/orgs/{org}} that concern
   * one org (a token of it issued or revoked). Completes when journaled, or when that failed (logged): the change
   * itself is done either way.
   */
  CompletionStage<Void> record(AdminPrincipal who, String orgId, String action, int status, JsonNode before,
      JsonNode after) {
    return admin.audit(orgId, new AuditEntry(who.tokenId(), who.name(), who.role().label(), action, status, text(before),
        text(after), clock.millis())).handle((reply, failure) -> {
          if (failure != null || reply instanceof AdminReply.Rejected) {
            log.atWarn().addKeyValue("org", orgId).addKeyValue("action", action)
                .log("an admin change could not be put on the org's audit trail");
          }
          return null;
        });
  }

  /** The part of the org a call under {@code path} changes, as the API shows it; null for a change of no such part. */
  private CompletionStage<JsonNode> part(String orgId, List<String> path) {
    String section = path.size() > 2 ? path.get(2) : "";
    CompletionStage<AdminReply> read = switch (section) {
      case "", "disable", "enable" -> admin.describe(orgId);
      case "limits" -> admin.listLimits(orgId);
      case "keys" -> path.size() > 4 && path.get(4).equals("policies") ? admin.policy(orgId, path.get(3))
          : admin.listKeys(orgId);
      case "policies" -> admin.policy(orgId, null);
      case "alerts", "blocks" -> admin.alerts(orgId);
      case "webhooks" -> admin.listWebhooks(orgId);
      case "pricing" -> admin.pricing(orgId);
      default -> null; // sessions, outcomes: records, not settings
    };
    return read == null ? CompletableFuture.completedFuture(null)
        : read.thenApply(reply -> json(orgId, reply)).exceptionally(failure -> null);
  }

  private JsonNode json(String orgId, AdminReply reply) {
    if (reply instanceof AdminReply.OrgDescription d) {
      return AdminJson.org(d);
    } else if (reply instanceof AdminReply.LimitsList list) {
      return ScopesJson.limitsList(orgId, list);
    } else if (reply instanceof AdminReply.KeyList list) {
      return AdminJson.keys(list.keys());
    } else if (reply instanceof AdminReply.PolicyDescription d) {
      return PolicyJson.write(d);
    } else if (reply instanceof AdminReply.AlertsDescription d) {
      return AlertsJson.alerts(d);
    } else if (reply instanceof AdminReply.WebhookList list) {
      return WebhooksJson.webhooks(list.webhooks());
    } else if (reply instanceof AdminReply.PricingDescription p) {
      return AdminJson.pricing(orgId, p.pricing(), catalogVersion);
    }
    return null; // a rejection: the part does not exist (yet)
  }

  /** A part as kept: its JSON, or past {@link #MAX_PART} (an org of many thousands of keys) a note of its size. */
  private static String text(JsonNode node) {
    if (node == null) {
      return null;
    }
    String json = node.toString();
    return json.length() <= MAX_PART ? json : "{\"truncated\": true, \"characters\": " + json.length() + "}";
  }

  private static ObjectNode page(AuditQuery.Page page) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    ArrayNode changes = o.putArray("changes");
    for (AuditQuery.Change c : page.changes()) {
      ObjectNode change = changes.addObject();
      change.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
      ObjectNode by = change.putObject("by");
      by.put("token_id", c.tokenId());
      by.put("name", c.tokenName());
      by.put("role", c.role());
      change.put("action", c.action());
      change.put("status", c.status());
      change.set("before", parse(c.before()));
      change.set("after", parse(c.after()));
    }
    o.put("next_cursor", page.next());
    return o;
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return AdminJson.MAPPER.nullNode();
    }
    try {
      return AdminJson.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return AdminJson.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
