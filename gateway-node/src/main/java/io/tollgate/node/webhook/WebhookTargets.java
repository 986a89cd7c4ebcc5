package io.tollgate.node.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may post to. By default only {@code https}, and never a loopback, private, link-local
 * or otherwise internal address, so an org's admin cannot make the gateway call into the network it runs in;
 * the operator may allow either ({@code TOLLGATE_WEBHOOK_ALLOW_HTTP}, {@code TOLLGATE_WEBHOOK_ALLOW_PRIVATE}).
 * A name is checked when the webhook is added and every address it resolves to before each delivery.
 */
public record WebhookTargets(boolean allowHttp, boolean allowPrivate) {
  public static final int MAX_URL = 2048;

  /** Why a URL is refused when the webhook is added, addressed to the org's admin; empty when it may be used. */
  public Optional<String> refusal(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("\"url\" is required");
    }
    if (url.length() > MAX_URL) {
      return Optional.of("\"url\" is longer than " + MAX_URL + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("\"url\" is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      return Optional.of(allowHttp ? "\"url\" must be http or https" : "\"url\" must be https (the operator has not "
          + "allowed plain http: TOLLGATE_WEBHOOK_ALLOW_HTTP)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("\"url\" has no host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("\"url\" may not carry a user name or password; the signature proves the sender");
    }
    if (uri.getRawFragment() != null) {
      return Optional.of("\"url\" may not have a #fragment");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (!allowPrivate && (host.equals("localhost") || host.endsWith(".localhost"))) {
      return Optional.of(privateRefusal(host));
    }
    if (!allowPrivate && isLiteral(host)) {
      try {
        if (internal(InetAddress.getByName(host))) { // a literal: parsed, never looked up
          return Optional.of(privateRefusal(host));
        }
      } catch (UnknownHostException e) {
        return Optional.of("\"url\" has a host that is not an address: " + host);
      }
    }
    return Optional.empty();
  }

  /** Why a delivery may not go to this host now, once resolved; empty when it may. */
  public Optional<String> deliveryRefusal(String host) {
    if (allowPrivate) {
      return Optional.empty();
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (internal(address)) {
          return Optional.of(privateRefusal(host) + " (it resolves to " + address.getHostAddress() + ")");
        }
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("cannot resolve " + host);
    }
  }

  private static String privateRefusal(String host) {
    return "\"url\" points into a private network (" + host + "); the operator has not allowed that: "
        + "TOLLGATE_WEBHOOK_ALLOW_PRIVATE";
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
  }

  /** Loopback, private, link-local, unspecified, multicast, shared (100.64/10) or unique-local (fc00::/7). */
  static boolean internal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
    }
    return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
  }
}
