package io.tollgate.node.http;

import io.tollgate.node.request.GatewayResponses;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers for requests the HTTP layer could not parse (an overlong URI or header, an unknown method, an HTTP
 * version it does not speak): JSON in OpenAI's error format rather than plain text, since no route saw the
 * request to tell its provider. A client's mistake is a 4xx: an unknown method is 405, not 501, and an
 * unknown HTTP version 400, not 505. Set as {@code pekko.http.server.parsing.error-handler}.
 */
public final class ParsingErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = switch (status.intValue()) {
      case 501 -> 405;
      case 505 -> 400;
      default -> status.intValue();
    };
    String message = info.summary().isEmpty() ? status.reason() : info.summary();
    HttpResponse response = GatewayResponses.error(Providers.get(ProviderId.OPENAI).errors(),
        GatewayError.of(code >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST, message), "none", 0, null,
        System.currentTimeMillis()).withStatus(StatusCodes.get(code));
    return code == 405 ? response.addHeader(RawHeader.create("Allow", "GET, POST, PUT, DELETE")) : response;
  }
}
