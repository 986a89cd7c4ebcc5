package io.tollgate.node.request;

import io.tollgate.node.config.NodeSettings;
import io.tollgate.node.metrics.Metrics;
import io.tollgate.node.org.LocalOrgs;
import io.tollgate.node.tracing.Tracing;
import io.tollgate.node.upstream.Upstreams;
import java.time.Clock;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.Materializer;

/** What every request actor of a node shares. */
public record RequestDeps(
    ClusterSharding sharding,
    Upstreams upstreams,
    Metering metering,
    Fallbacks fallbacks,
    IdempotentAnswers idempotency,
    ResponseCache cache,
    OnceBilling once,
    UpstreamExchange exchange,
    AccessLog accessLog,
    Metrics metrics,
    NodeSettings settings,
    Clock clock,
    Materializer materializer,
    InFlightRequests inFlight,
    LocalOrgs localOrgs,
    RequestFaults faults,
    Tracing tracing) {}
