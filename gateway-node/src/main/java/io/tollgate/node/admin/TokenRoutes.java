package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.access.AdminAccess;
import io.tollgate.node.access.AdminPrincipal;
import io.tollgate.node.access.AdminRole;
import io.tollgate.node.access.Tokens;
import io.tollgate.persistence.access.AdminTokens.Row;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/tokens}: issue (the token shown once), list and revoke admin tokens with a role. Who may manage
 * which is {@link AdminAccess}'s to say; parsing and rendering only.
 */
final class TokenRoutes {
  private static final int MAX_NAME = 200;

  private static final Logger log = LoggerFactory.getLogger(TokenRoutes.class);

  private final Tokens tokens;
  private final AuditRoutes audit;

  TokenRoutes(Tokens tokens, AuditRoutes audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  Route routes(AdminPrincipal who) {
    return concat(
        pathEnd(() -> concat(
            post(() -> AdminRoutes.body(json -> issue(who, json))),
            get(() -> parameterOptional("org", org -> list(who, org.orElse(null)))))),
        path(segment(), id -> delete(() -> revoke(who, id))));
  }

  private Route issue(AdminPrincipal who, JsonNode json) {
    AdminRole role = AdminRole.of(json.path("role").asText("")).orElseThrow(() -> new InvalidRequestException(
        "'role' must be one of operator, org_admin, org_viewer, finance."));
    String org = json.hasNonNull("org") ? json.get("org").asText() : null;
    if (org != null && !OrgIds.isValid(org)) {
      throw new InvalidRequestException("'org' must be an org id (lowercase letters, digits and '-').");
    }
    String name = json.path("name").asText("");
    if (name.isBlank() || name.length() > MAX_NAME || !SafeText.isSafe(name)) {
      throw new InvalidRequestException("'name' must be 1-" + MAX_NAME + " printable characters.");
    }
    String problem = role.orgProblem(org);
    if (problem != null) {
      throw new InvalidRequestException(problem);
    }
    String refusal = AdminAccess.tokenRefusal(who, role, org);
    if (refusal != null) {
      return forbidden(refusal);
    }
    Long expires = AdminJson.instant(json, "expires_at");
    // A token of one org is a change of who may act on it: on that org's audit trail, as listed (never the secret).
    CompletionStage<Tokens.Issued> issuing = tokens.issue(who, role, org, name, expires).thenCompose(issued -> {
      logged("admin token issued", issued.row(), who);
      return org == null ? CompletableFuture.completedFuture(issued)
          : audit.record(who, org, "POST /admin/tokens", 201, null, token(issued.row())).thenApply(done -> issued);
    });
    return answer(issuing, issued -> {
      ObjectNode o = token(issued.row());
      o.put("token", issued.token());
      return AdminRoutes.jsonResponse(StatusCodes.CREATED, o);
    });
  }

  /** An operator lists every org's tokens (or one org's); an org admin, its own org's. */
  private Route list(AdminPrincipal who, String org) {
    if (who.role() != AdminRole.OPERATOR && org != null && !org.equals(who.orgId())) {
      return forbidden("This token is for the org '" + who.orgId() + "' only.");
    }
    return answer(tokens.list(who.role() == AdminRole.OPERATOR ? org : who.orgId()), rows -> {
      ObjectNode o = AdminJson.MAPPER.createObjectNode();
      ArrayNode list = o.putArray("tokens");
      rows.forEach(r -> list.add(token(r)));
      return AdminRoutes.jsonResponse(StatusCodes.OK, o);
    });
  }

  private Route revoke(AdminPrincipal who, String id) {
    return onComplete(tokens.find(id), found -> {
      if (found.isFailure()) {
        return complete(AdminRoutes.unavailable(found.failed().get()));
      }
      if (found.get().isEmpty() || found.get().get().revokedAtMillis() != null) {
        return complete(AdminRoutes.jsonResponse(StatusCodes.NOT_FOUND, AdminJson.error("not_found", "No token '" + id + "'.")));
      }
      Row row = found.get().get();
      String refusal = AdminAccess.tokenRefusal(who, AdminRole.of(row.role()).orElse(AdminRole.OPERATOR), row.orgId());
      if (refusal != null) {
        return forbidden(refusal);
      }
      CompletionStage<?> revoking = tokens.revoke(id).thenCompose(revoked -> {
        logged("admin token revoked", row, who);
        return row.orgId() == null ? CompletableFuture.completedFuture(null)
            : audit.record(who, row.orgId(), "DELETE /admin/tokens/" + id, 204, token(row), null);
      });
      return answer(revoking, revoked -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
    });
  }

  /** Logs a token's issue or revocation, never its secret. */
  private static void logged(String what, Row row, AdminPrincipal by) {
    log.atInfo().addKeyValue("token_id", row.id()).addKeyValue("role", row.role()).addKeyValue("org", row.orgId())
        .addKeyValue("by", by.tokenId()).log(what);
  }

  /** Who a token is: what the console needs to show only the pages its role may use. */
  static ObjectNode whoami(AdminPrincipal who) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("token_id", who.tokenId());
    o.put("name", who.name());
    o.put("role", who.role().label());
    o.put("org", who.orgId());
    return o;
  }

  static ObjectNode token(Row row) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("id", row.id());
    o.put("role", row.role());
    o.put("org", row.orgId());
    o.put("name", row.name());
    o.put("created_by", row.createdBy());
    o.put("created_at", Instant.ofEpochMilli(row.createdAtMillis()).toString());
    o.put("expires_at", row.expiresAtMillis() == null ? null : Instant.ofEpochMilli(row.expiresAtMillis()).toString());
    return o;
  }

  private static <T> Route answer(CompletionStage<T> call, Function<T, HttpResponse> render) {
    return onComplete(call, done -> complete(done.isSuccess() ? render.apply(done.get())
        : AdminRoutes.unavailable(done.failed().get())));
  }

  static Route forbidden(String message) {
    return complete(AdminRoutes.jsonResponse(StatusCodes.FORBIDDEN, AdminJson.error("permission_error", message)));
  }
}
