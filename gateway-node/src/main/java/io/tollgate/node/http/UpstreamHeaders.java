package io.tollgate.node.http;

import io.tollgate.protocol.provider.ForwardingRules;
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
 * ({@code TOLLGATE_FORWARD_HEADERS}), never those {@link ForwardingRules} forbids. A tenant must not choose
 * what the operator's key bills or where it routes.
 */
public final class UpstreamHeaders {
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
      if ((provider.clientHeaders().contains(name) || operatorListed(name)) && !ForwardingRules.neverUpstream(name)
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
