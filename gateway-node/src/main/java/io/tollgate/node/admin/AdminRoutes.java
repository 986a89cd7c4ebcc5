package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.patch;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;
import static org.apache.pekko.http.javadsl.server.PathMatchers.remaining;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.access.Tokens;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The admin API (design.md §3) behind {@code Authorization: Bearer <admin token>}: parsing and rendering
 * only; every decision is the org actor's.
 */
public final class AdminRoutes {
  private static final long MAX_BODY = 64 * 1024;

  private final OrgAdmin admin;
  private final AdminGate gate;
  private final TokenRoutes tokenRoutes;
  private final AuditRoutes audit;
  private final String catalogVersion;
  private final SpendReport spendReport;
  private final PlanAdmin plans;
  private final OrgListing listing;
  private final OrgChanges changes;
  private final RecordRoutes records;
  private final UsageRoutes usage;
  private final InvoiceRoutes invoices;
  private final WebhookRoutes webhooks;
  private final AlertRoutes alerts;
  private final PolicyRoutes policies;
  private final OperatorRoutes operator;

  public AdminRoutes(OrgAdmin admin, PlanAdmin plans, OrgListing listing, SpendReport spendReport, RecordRoutes records,
      UsageRoutes usage, InvoiceRoutes invoices, WebhookRoutes webhooks, OperatorRoutes operator, Tokens tokens,
      AuditRoutes audit, String catalogVersion) {
    this.admin = admin;
    this.plans = plans;
    this.listing = listing;
    this.changes = new OrgChanges(admin, plans);
    this.spendReport = spendReport;
    this.records = records;
    this.usage = usage;
    this.invoices = invoices;
    this.webhooks = webhooks;
    this.alerts = new AlertRoutes(admin);
    this.policies = new PolicyRoutes(admin);
    this.operator = operator;
    this.catalogVersion = catalogVersion;
    this.gate = new AdminGate(tokens, audit);
    this.tokenRoutes = new TokenRoutes(tokens, audit);
    this.audit = audit;
  }

  /**
   * Every admin answer: never cached (a key is shown once), never sniffed as anything but its type, never framed,
   * never a page that loads anything, never a referrer.
   */
  private static final List<HttpHeader> NO_STORE = List.of(RawHeader.create("Cache-Control", "no-store"),
      RawHeader.create("X-Content-Type-Options", "nosniff"), RawHeader.create("X-Frame-Options", "DENY"),
      RawHeader.create("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
      RawHeader.create("Referrer-Policy", "no-referrer"));

  public Route routes() {
    return pathPrefix("admin", () -> respondWithHeaders(NO_STORE, () -> gate.admit(who -> withSizeLimit(MAX_BODY, () -> concat(
        pathPrefix("tokens", () -> tokenRoutes.routes(who)),
        path("whoami", () -> get(() -> json(StatusCodes.OK, TokenRoutes.whoami(who)))),
        pathPrefix("plans", () -> new PlanRoutes(plans).routes()),
        pathPrefix("usage", usage::allUsage),
        operator.routes(),
        pathPrefix("orgs", () -> concat(
        pathEnd(() -> concat(
            post(() -> body(this::createOrg)),
            get(() -> parameterOptional("limit", limit -> parameterOptional("cursor", cursor -> listOrgs(limit, cursor)))))),
        pathPrefix(segment(), orgId -> concat(
            pathEnd(() -> concat(
                get(() -> reply(orgId, admin::describe, StatusCodes.OK)),
                patch(() -> body(json -> updateOrg(orgId, json))))),
            pathPrefix("limits", () -> concat(
                pathEnd(() -> concat(
                    get(() -> reply(orgId, admin::listLimits, StatusCodes.OK)),
                    put(() -> body(json -> reply(orgId, id -> admin.setLimits(id, AdminJson.limits(limitsIn(json))),
                        StatusCodes.OK))))),
                path(segment().slash(segment()), (scope, value) -> scopeLimits(orgId, scope, value)))),
            pathPrefix("quota", () -> concat(
                pathEnd(() -> get(() -> parameterOptional("scope", scope -> scope.isPresent()
                    ? scopeUsage(orgId, scope.get(), true) : quota(orgId)))),
                path("scopes", () -> get(() -> parameterOptional("scope", scope ->
                    scopeUsage(orgId, scope.orElse(""), false)))))),
            path("spend", () -> get(() -> spend(orgId))),
            pathPrefix("requests", () -> records.requests(orgId)),
            pathPrefix("denials", () -> records.denials(orgId)),
            pathPrefix("sessions", () -> records.sessions(orgId)),
            pathPrefix("outcomes", () -> records.outcomes(orgId)),
            pathPrefix("roi", () -> records.roi(orgId)),
            pathPrefix("usage", () -> usage.orgUsage(orgId)),
            pathPrefix("webhooks", () -> webhooks.webhooks(orgId)),
            pathPrefix("alerts", () -> alerts.alerts(orgId)),
            pathPrefix("blocks", () -> alerts.blocks(orgId)),
            pathPrefix("policies", () -> policies.policy(orgId, null)),
            pathPrefix("invoice", () -> invoices.invoice(orgId)),
            pathPrefix("export", () -> pathPrefix("focus", () -> invoices.focus(orgId))),
            pathPrefix("audit", () -> audit.list(orgId)),
            path("disable", () -> post(() -> reply(orgId, admin::disable, StatusCodes.OK))),
            path("enable", () -> post(() -> reply(orgId, admin::enable, StatusCodes.OK))),
            pathPrefix("pricing", () -> concat(
                pathEnd(() -> concat(
                    get(() -> reply(orgId, admin::pricing, StatusCodes.OK)),
                    put(() -> body(json -> reply(orgId,
                        id -> admin.setUnpricedModels(id, AdminJson.unpricedModels(json)), StatusCodes.OK))))),
                // The rest of the path, slashes included: OpenRouter's models are named "vendor/model".
                path(remaining(), model -> concat(
                    put(() -> body(json -> reply(orgId,
                        id -> admin.setPrice(id, model, AdminJson.price(json, model)), StatusCodes.OK))),
                    delete(() -> reply(orgId, id -> admin.removePrice(id, model), StatusCodes.OK)))))),
            pathPrefix("keys", () -> concat(
                pathEnd(() -> concat(
                    post(() -> body(json -> issueKey(orgId, json))),
                    get(() -> reply(orgId, admin::listKeys, StatusCodes.OK)))),
                pathPrefix(segment(), keyId -> concat(
                    pathEnd(() -> delete(() -> reply(orgId, id -> admin.revokeKey(id, keyId), StatusCodes.OK))),
                    path("rotate", () -> post(() -> body(json -> rotateKey(orgId, keyId, json)))),
                    pathPrefix("policies", () -> policies.policy(orgId, keyId)),
                    path("limits", () -> put(() -> body(json -> reply(orgId,
                        id -> admin.setKeyLimits(id, keyId, keyLimits(json)), StatusCodes.OK)))))))))))))))));
  }

  /** Limits sent bare or under "limits". */
  private static JsonNode limitsIn(JsonNode json) {
    return json.has("limits") ? json.get("limits") : json;
  }

  /** A key's own limits; {@code {"limits": null}} removes them. */
  private static Limits keyLimits(JsonNode json) {
    JsonNode limits = limitsIn(json);
    return limits == null || limits.isNull() ? null : AdminJson.limits(limits);
  }

  private Route scopeLimits(String orgId, String scopeName, String value) {
    ScopeKey scope;
    try {
      scope = ScopesJson.scope(scopeName, value);
    } catch (InvalidRequestException e) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", e.getMessage()));
    }
    return concat(
        put(() -> body(json -> reply(orgId, id -> admin.setScopeLimits(id, scope, AdminJson.limits(limitsIn(json))),
            StatusCodes.OK))),
        delete(() -> reply(orgId, id -> admin.removeScopeLimits(id, scope), StatusCodes.OK)));
  }

  private Route createOrg(JsonNode json) {
    String id = json.path("id").asText("");
    if (!OrgIds.isValid(id)) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error",
          "'id' must match [a-z0-9][a-z0-9-]{0,62}."));
    }
    String name = json.hasNonNull("name") ? json.get("name").asText() : id;
    CompletionStage<AdminReply> created = changes.create(id, name, AdminJson.limits(json.get("limits")),
        AdminJson.timeZone(json), PlanRoutes.named(json), AdminJson.stopStreams(json));
    return completeWithFuture(created.thenApply(reply -> render(id, reply, StatusCodes.CREATED))
        .exceptionally(AdminRoutes::unavailable));
  }

  private Route listOrgs(java.util.Optional<String> limit, java.util.Optional<String> cursor) {
    int size;
    try {
      size = OrgListing.limit(limit.orElse(null));
      if (cursor.isPresent() && !OrgIds.isValid(cursor.get())) {
        throw new InvalidRequestException("'cursor' must be the next_cursor of the page before.");
      }
    } catch (InvalidRequestException e) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", e.getMessage()));
    }
    return completeWithFuture(listing.page(cursor.orElse(null), size)
        .thenApply(page -> jsonResponse(StatusCodes.OK, page)).exceptionally(AdminRoutes::unavailable));
  }

  /**
   * Changes the org's settings that are sent: its {@code time_zone}, its {@code plan} (null: none), its
   * {@code budget_enforcement}.
   */
  private Route updateOrg(String orgId, JsonNode json) {
    if (!json.has("time_zone") && !json.has("plan") && !json.hasNonNull("budget_enforcement")
        && !json.has("markup_percent")) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", "Send the settings to change,"
          + " e.g. {\"time_zone\": \"Europe/Berlin\"}, {\"plan\": \"pro\"}, {\"budget_enforcement\": \"stop_stream\"}"
          + " or {\"markup_percent\": \"15\"}."));
    }
    boolean zoneSent = json.has("time_zone");
    String zone = AdminJson.timeZone(json);
    boolean planSent = json.has("plan");
    String plan = PlanRoutes.named(json);
    Boolean stopStreams = AdminJson.stopStreams(json);
    boolean markupSent = json.has("markup_percent");
    Long markup = AdminJson.markupPpm(json);
    return reply(orgId, id -> changes.update(id, zoneSent, zone, planSent, plan, stopStreams, markupSent, markup),
        StatusCodes.OK);
  }

  private Route issueKey(String orgId, JsonNode json) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    String name = json.hasNonNull("name") ? json.get("name").asText() : "";
    Limits limits = json.hasNonNull("limits") ? AdminJson.limits(json.get("limits")) : null;
    Map<String, String> binds = ScopesJson.binds(json.get("binds"));
    Long expiresAt = AdminJson.instant(json, "expires_at");
    return completeWithFuture(admin.issueKey(orgId, name, AdminJson.stringList(json, "allowed_models"), limits, binds,
        expiresAt).thenApply(issued -> shownOnce(orgId, issued, StatusCodes.CREATED)).exceptionally(AdminRoutes::unavailable));
  }

  /** A new secret for the key, shown once; the old one works {@code grace_seconds} longer (default 0). */
  private Route rotateKey(String orgId, String keyId, JsonNode json) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    JsonNode grace = json.get("grace_seconds");
    if (grace != null && !grace.isNull() && (!grace.canConvertToLong() || grace.asLong() < 0
        || grace.asLong() > 366L * 24 * 3600)) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error",
          "'grace_seconds' must be a whole number of seconds from 0 to 31622400 (366 days)."));
    }
    Duration graceTime = Duration.ofSeconds(grace == null || grace.isNull() ? 0 : grace.asLong());
    return completeWithFuture(admin.rotateKey(orgId, keyId, graceTime)
        .thenApply(issued -> shownOnce(orgId, issued, StatusCodes.OK)).exceptionally(AdminRoutes::unavailable));
  }

  private HttpResponse shownOnce(String orgId, OrgAdmin.IssuedKey issued, StatusCode success) {
    if (issued.reply() instanceof AdminReply.KeyDescription described) {
      var body = AdminJson.key(described.key());
      body.put("key", issued.key().plaintext());
      return jsonResponse(success, body);
    }
    return render(orgId, issued.reply(), success);
  }

  private Route quota(String orgId) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    return completeWithFuture(admin.quota(orgId).thenApply(q -> q.exists()
        ? jsonResponse(StatusCodes.OK, AdminJson.quota(q))
        : jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No org '" + orgId + "'.")))
        .exceptionally(AdminRoutes::unavailable));
  }

  /** {@code one}: a scope value ({@code team:research}); else every tracked value of a scope ({@code team}). */
  private Route scopeUsage(String orgId, String scope, boolean one) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    String asked;
    try {
      asked = one ? ScopesJson.scopeValue(scope).id() : ScopesJson.scopeName(scope);
    } catch (InvalidRequestException e) {
      return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", e.getMessage()));
    }
    return completeWithFuture(admin.describe(orgId).thenCompose(org -> org instanceof AdminReply.Rejected r
        ? CompletableFuture.completedFuture(render(orgId, r, StatusCodes.OK))
        : admin.scopeUsage(orgId, asked).thenApply(u -> jsonResponse(StatusCodes.OK, ScopesJson.usage(orgId, u, one))))
        .exceptionally(AdminRoutes::unavailable));
  }

  private Route spend(String orgId) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    return parameterOptional("from", from -> parameterOptional("to", to -> parameterOptional("by", by -> {
      SpendReport.Range range;
      try {
        range = spendReport.range(from, to, by);
      } catch (InvalidRequestException e) {
        return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", e.getMessage()));
      }
      return completeWithFuture(spendReport.spend(orgId, range)
          .thenApply(spend -> spend.map(s -> jsonResponse(StatusCodes.OK, AdminJson.spend(orgId, range, s)))
              .orElseGet(() -> jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No org '" + orgId + "'."))))
          .exceptionally(AdminRoutes::unavailable));
    })));
  }

  private Route reply(String orgId, Function<String, CompletionStage<AdminReply>> call, StatusCode success) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    return completeWithFuture(call.apply(orgId).thenApply(r -> render(orgId, r, success)).exceptionally(AdminRoutes::unavailable));
  }

  private HttpResponse render(String orgId, AdminReply reply, StatusCode success) {
    if (reply instanceof AdminReply.OrgDescription d) {
      return jsonResponse(success, AdminJson.org(d));
    } else if (reply instanceof AdminReply.KeyDescription d) {
      return jsonResponse(success, AdminJson.key(d.key()));
    } else if (reply instanceof AdminReply.KeyList list) {
      return jsonResponse(success, AdminJson.keys(list.keys()));
    } else if (reply instanceof AdminReply.LimitsList list) {
      return jsonResponse(success, ScopesJson.limitsList(orgId, list));
    } else if (reply instanceof AdminReply.ScopeLimitsDescription d) {
      return jsonResponse(success, ScopesJson.scopeLimits(d));
    } else if (reply instanceof AdminReply.PricingDescription p) {
      return jsonResponse(success, AdminJson.pricing(orgId, p.pricing(), catalogVersion));
    }
    return rejection((AdminReply.Rejected) reply);
  }

  /**
   * An org's reply as {@code render} shows it; a 404 for an org id that cannot exist, a 400 for a body the
   * change refused, a 503 when the org did not answer.
   */
  static Route rendered(String orgId, CompletionStage<AdminReply> call, Function<AdminReply, HttpResponse> render) {
    if (!OrgIds.isValid(orgId)) {
      return notFound(orgId);
    }
    return completeWithFuture(call.thenApply(render).exceptionally(failure -> {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      return cause instanceof InvalidRequestException invalid ? jsonResponse(StatusCodes.BAD_REQUEST,
          AdminJson.error("invalid_request_error", invalid.getMessage())) : unavailable(failure);
    }));
  }

  static HttpResponse rejection(AdminReply.Rejected rejected) {
    return switch (rejected.problem()) {
      case NOT_FOUND -> jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", rejected.message()));
      case ALREADY_EXISTS -> jsonResponse(StatusCodes.CONFLICT, AdminJson.error("conflict", rejected.message()));
      case INVALID -> jsonResponse(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", rejected.message()));
      case UNAVAILABLE -> jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, AdminJson.error("service_unavailable",
          rejected.message()));
    };
  }

  static Route body(Function<JsonNode, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> {
      try {
        return inner.apply(AdminJson.parse(text));
      } catch (InvalidRequestException e) {
        return json(StatusCodes.BAD_REQUEST, AdminJson.error("invalid_request_error", e.getMessage()));
      }
    });
  }

  private static Route notFound(String orgId) {
    return json(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No org '" + orgId + "'."));
  }

  static HttpResponse unavailable(Throwable failure) {
    return jsonResponse(StatusCodes.SERVICE_UNAVAILABLE, AdminJson.error("service_unavailable",
        "The org's actor or the database did not answer in time; retry shortly."));
  }

  private static Route json(StatusCode status, JsonNode body) {
    return complete(jsonResponse(status, body));
  }

  static HttpResponse jsonResponse(StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
