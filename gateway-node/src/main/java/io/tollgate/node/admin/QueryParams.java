package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;

import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** A read's query string: a parameter it does not take is a 400, so a misspelt filter never reads everything. */
final class QueryParams {
  private QueryParams() {}

  /** The parameters parsed by {@code parse} into the route to run; its {@link InvalidRequestException} is a 400. */
  static Route parsed(Set<String> known, Function<Map<String, String>, Supplier<Route>> parse) {
    return parameterMap(params -> {
      Supplier<Route> route;
      try {
        for (String name : params.keySet()) {
          if (!known.contains(name)) {
            throw new InvalidRequestException("Unknown parameter '" + name + "'. Parameters: "
                + String.join(", ", known.stream().sorted().toList()) + ".");
          }
        }
        route = parse.apply(params);
      } catch (InvalidRequestException e) {
        return complete(AdminRoutes.jsonResponse(StatusCodes.BAD_REQUEST,
            AdminJson.error("invalid_request_error", e.getMessage())));
      }
      return route.get();
    });
  }
}
