package io.tollgate.node.request;

import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.provider.ErrorKind;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, one line per request under the logger {@code tollgate.access}: settled with its usage and
 * cost, denied by the org, or refused at the intake before it reached one. Off when the node is told so.
 */
public final class AccessLog {
  static final String LOGGER = "tollgate.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final boolean enabled;

  public AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** A request that reached the provider, or was passed through; {@code upstreamNanos} is -1 if no answer came. */
  public void settled(ProxyCall call, UsageRecord record, long upstreamNanos) {
    if (!enabled) {
      return;
    }
    var a = record.attribution();
    log.atInfo().addKeyValue("request_id", record.requestId()).addKeyValue("org", call.key().orgId())
        .addKeyValue("key", record.keyId()).addKeyValue("provider", record.provider()).addKeyValue("model", record.model())
        .addKeyValue("api", record.api()).addKeyValue("stream", call.facts().stream()).addKeyValue("status", record.status())
        .addKeyValue("outcome", record.outcome()).addKeyValue("input", record.tokens().input())
        .addKeyValue("output", record.tokens().output()).addKeyValue("cache_read", record.tokens().cacheRead())
        // A call passed through unmetered (token counting) is not billed: no cost, rather than a cost of zero.
        .addKeyValue("cost_usd", record.reservation() == null ? "unbilled" : Money.formatUsd(record.costNanos()))
        .addKeyValue("estimated", record.estimated())
        .addKeyValue("duration_ms", millisSince(call.receivedNanos()))
        .addKeyValue("upstream_ms", upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000)
        .addKeyValue("agent", a.agent()).addKeyValue("session", a.session()).addKeyValue("customer", a.customer())
        .addKeyValue("team", a.team()).addKeyValue("user", a.user())
        .log("request");
  }

  /** A request the org did not admit, or could not be asked about; {@code reason} in lower case. */
  public void denied(ProxyCall call, int status, String reason) {
    if (!enabled) {
      return;
    }
    log.atInfo().addKeyValue("request_id", call.requestId()).addKeyValue("org", call.key().orgId())
        .addKeyValue("key", call.key().keyId()).addKeyValue("provider", call.provider().id().id())
        .addKeyValue("model", call.facts().model()).addKeyValue("status", status).addKeyValue("denied", reason)
        .addKeyValue("duration_ms", millisSince(call.receivedNanos())).log("request");
  }

  /** A request refused at the intake: no org, key or model is known yet. */
  public void refused(String providerId, String requestId, int status, ErrorKind kind) {
    if (!enabled) {
      return;
    }
    log.atInfo().addKeyValue("request_id", requestId).addKeyValue("provider", providerId)
        .addKeyValue("status", status).addKeyValue("refused", kind.name().toLowerCase(Locale.ROOT))
        .log("request");
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
