package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;

import io.tollgate.node.access.AdminAccess;
import io.tollgate.node.access.AdminPrincipal;
import io.tollgate.node.access.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Who calls the admin API, and whether their role allows the call ({@link AdminAccess}): 401 for no one known,
 * 403 if not; else the call, a change of an org going on its audit trail.
 */
final class AdminGate {
  private final Tokens tokens;
  private final AuditRoutes audit;

  AdminGate(Tokens tokens, AuditRoutes audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  Route admit(Function<AdminPrincipal, Route> inner) {
    return extractRequest(request -> onComplete(
        tokens.authenticate(request.getHeader("Authorization").map(HttpHeader::value).orElse("")), who -> {
          if (who.isFailure()) {
            return complete(AdminRoutes.unavailable(who.failed().get()));
          }
          if (who.get().isEmpty()) {
            return complete(AdminRoutes.jsonResponse(StatusCodes.UNAUTHORIZED, AdminJson.error("authentication_error",
                "The admin API needs 'Authorization: Bearer <admin token>' with a token neither expired nor revoked.")));
          }
          AdminPrincipal principal = who.get().get();
          List<String> path = segments(request.getUri().path());
          String refusal = AdminAccess.refusal(principal, request.method().value(), path);
          return refusal == null ? audit.audited(principal, request, path, () -> inner.apply(principal))
              : TokenRoutes.forbidden(refusal);
        }));
  }

  /** The path's segments after {@code /admin}. */
  private static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    return segments.isEmpty() ? segments : segments.subList(1, segments.size());
  }
}
