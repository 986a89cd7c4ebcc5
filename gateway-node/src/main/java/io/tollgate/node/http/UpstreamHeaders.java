package io.tollgate.node.http;

import io.tollgate.protocol.provider.Provider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The client's request headers that go upstream beside the operator's credential: only those the provider's
 * API defines for clients ({@link Provider#clientHeaders()}) and those the operator names
 * ({@code TOLLGATE_FORWARD_HEADERS}). A tenant must not choose what the operator's key bills or where it routes.
 */
public final class UpstreamHeaders {
  /** Never forwarded, whatever the operator lists: credentials, hop-by-hop, and what routes or bills. */
  static final Set<String> NEVER = Set.of("authorization", "api-key", "x-api-key", "x-goog-api-key",
      "proxy-authorization", "cookie", "host", "content-length", "content-type", "transfer-encoding", "connection",
      "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "accept-encoding", "timeout-access",
      "openai-organization", "openai-project", "forwarded", "via", "x-real-ip");

  private final Set<String> names = new HashSet<>();
  private final List<String> prefixes = new ArrayList<>();

  /** @param operatorHeaders header names, or prefixes ending in {@code *}, the operator forwards to every provider */
  public UpstreamHeaders(List<String> operatorHeaders) {
    for (String entry : operatorHeaders) {
      String name = entry.toLowerCase(Locale.ROOT);
      if (name.endsWith("*")) {
        prefixes.add(name.substring(0, name.length() - 1));
      } else {
        names.add(name);
      }
    }
  }

  /** Whether an operator may list this name (or prefix): never one of {@link #NEVER} nor the gateway's own. */
  public static boolean forwardable(String lowercaseName) {
    String name = lowercaseName.endsWith("*") ? lowercaseName.substring(0, lowercaseName.length() - 1) : lowercaseName;
    return !name.isEmpty() && !never(name) && NEVER.stream().noneMatch(n -> n.startsWith(name))
        && !"x-tollgate-".startsWith(name);
  }

  /** Credentials, hop-by-hop, routing and billing headers, and the gateway's own: never upstream. */
  private static boolean never(String name) {
    return NEVER.contains(name) || name.startsWith("x-forwarded") || name.startsWith("proxy-")
        || AttributionHeaders.isAttribution(name);
  }

  public List<HttpHeader> of(Provider provider, HttpRequest request) {
    Set<String> hopByHop = null; // the names a Connection header lists are this hop's only
    for (HttpHeader h : request.getHeaders()) {
      if (h.is("connection")) {
        hopByHop = hopByHop == null ? new HashSet<>() : hopByHop;
        for (String listed : h.value().split(",")) {
          hopByHop.add(listed.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    List<HttpHeader> forwarded = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) {
      String name = h.lowercaseName();
      if ((provider.clientHeaders().contains(name) || operatorListed(name)) && !never(name)
          && (hopByHop == null || !hopByHop.contains(name))) {
        forwarded.add(h);
      }
    }
    return forwarded;
  }

  private boolean operatorListed(String name) {
    if (names.contains(name)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
