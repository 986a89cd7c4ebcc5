package io.tollgate.protocol.provider;

import java.util.Set;

/**
 * Which request header names may go upstream beside the operator's credential, whatever a provider or the
 * operator lists: never credentials, hop-by-hop headers, what routes or bills the operator's key, nor the
 * gateway's own attribution headers. Names are lowercase.
 */
public final class ForwardingRules {
  static final Set<String> NEVER = Set.of("authorization", "api-key", "x-api-key", "x-goog-api-key",
      "proxy-authorization", "cookie", "host", "content-length", "content-type", "transfer-encoding", "connection",
      "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "accept-encoding", "timeout-access",
      "openai-organization", "openai-project", "forwarded", "via", "x-real-ip");

  private ForwardingRules() {}

  /** The gateway's own headers, read for attribution and never passed on. */
  public static boolean isAttribution(String name) {
    return switch (name) {
      case "x-agent-id", "x-session-id", "x-customer-id", "x-team-id", "x-user-id" -> true;
      default -> name.startsWith("x-tollgate-");
    };
  }

  /** Credentials, hop-by-hop, routing and billing headers, and the gateway's own: never upstream. */
  public static boolean neverUpstream(String name) {
    return NEVER.contains(name) || name.startsWith("x-forwarded") || name.startsWith("proxy-") || isAttribution(name);
  }

  /** Whether an operator may list this name (or prefix ending in '*'): none that could cover a forbidden one. */
  public static boolean operatorMayForward(String entry) {
    String name = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
    return !name.isEmpty() && !neverUpstream(name) && NEVER.stream().noneMatch(n -> n.startsWith(name))
        && !"x-tollgate-".startsWith(name);
  }
}
