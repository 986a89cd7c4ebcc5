package io.tollgate.node.metrics;

import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.pii.PiiType;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;
import kamon.tag.TagSet;

/**
 * The gateway's own metrics, published in Prometheus format through Kamon. Instruments are looked up once
 * per label combination and cached, so recording on the request path allocates nothing.
 *
 * <p>Model labels are the catalog's model names; a model the catalog does not know is labelled
 * {@code other}, so clients cannot inflate label cardinality by inventing model names.
 */
public final class Metrics {
  private final Metric.Counter requests = Kamon.counter("tollgate.requests", "Proxied requests by provider, model and HTTP status");
  private final Metric.Counter tokens = Kamon.counter("tollgate.tokens", "Tokens used by provider, model and class");
  private final Metric.Counter cost = Kamon.counter("tollgate.cost.nanousd", "Cost in nano-USD by provider and model");
  private final Metric.Counter unpriced = Kamon.counter("tollgate.unpriced.requests", "Requests for models without a price");
  private final Metric.Counter estimated = Kamon.counter("tollgate.estimated.requests",
      "Requests whose tokens the gateway counted because the upstream reported none");
  private final Metric.Counter denials = Kamon.counter("tollgate.denials", "Requests refused by an org, by reason");
  private final Metric.Counter pii = Kamon.counter("tollgate.pii.entities",
      "Personal data and secrets found in prompts (redacted or refused), by type; the values are never kept");
  private final Metric.Counter cacheHits = Kamon.counter("tollgate.cache.hits",
      "Requests answered from the exact response cache, at no cost, by provider");
  private final Metric.Counter cacheMisses = Kamon.counter("tollgate.cache.misses",
      "Requests the response cache was asked for and did not hold, by provider");
  private final Metric.Counter replays = Kamon.counter("tollgate.idempotent.replays",
      "Repeats of a request with an Idempotency-Key answered from its stored answer, unbilled, by provider");
  private final Metric.Counter unsettled = Kamon.counter("tollgate.usage.unsettled",
      "Usage records given up on after the settle retry horizon (logged in full at ERROR)");
  private final Metric.Counter rejected = Kamon.counter("tollgate.journal.rejected.events",
      "Events the journal refused (unserializable text) and that were journaled again in safe form (logged at ERROR)");
  private final Metric.Histogram requestDuration = Kamon.histogram("tollgate.request.duration",
      "Time from request received to response complete", MeasurementUnit.time().nanoseconds());
  private final Metric.Histogram upstreamDuration = Kamon.histogram("tollgate.upstream.duration",
      "Time from upstream call to upstream response headers", MeasurementUnit.time().nanoseconds());
  private final Metric.Histogram overhead = Kamon.histogram("tollgate.gateway.overhead",
      "Time to the client's response headers not spent waiting for the upstream", MeasurementUnit.time().nanoseconds());
  private final Histogram journalBatch = Kamon.histogram("tollgate.journal.batch.records",
      "Usage records per journal write").withoutTags();
  private final Metric.Gauge budgetUsed = Kamon.gauge("tollgate.org.budget.used",
      "Share of the monthly budget spent or held by requests in flight, by org (orgs with a budget, active here)");
  private final Metric.Gauge clusterMembers = Kamon.gauge("tollgate.cluster.members",
      "Cluster members as this node sees them, by status (up, unreachable, other)");
  private final Metric.Gauge shards = Kamon.gauge("tollgate.sharding.shards", "Org shards hosted on this node");
  private final Metric.Gauge orgs = Kamon.gauge("tollgate.sharding.orgs", "Org actors running on this node");
  private final Histogram journalLatency = Kamon.histogram("tollgate.journal.write.latency",
      "Time for one org journal write", MeasurementUnit.time().nanoseconds()).withoutTags();

  private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> tokenCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> costCounters = new ConcurrentHashMap<>();
  private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
  private final Map<String, Counter> simpleCounters = new ConcurrentHashMap<>();

  public void request(String provider, String model, int status) {
    cached(requestCounters, provider + '|' + model + '|' + status,
        k -> requests.withTags(TagSet.builder().add("provider", provider).add("model", model)
            .add("status", String.valueOf(status)).build())).increment();
  }

  public void timings(String provider, long totalNanos, long upstreamNanos, long overheadNanos) {
    histogram(requestDuration, provider).record(totalNanos);
    if (upstreamNanos >= 0) {
      histogram(upstreamDuration, provider).record(upstreamNanos);
    }
    if (overheadNanos >= 0) {
      histogram(overhead, provider).record(overheadNanos);
    }
  }

  public void usage(String provider, String model, TokenUsage used, long costNanos, boolean isUnpriced, boolean isEstimated) {
    tokenCounter(provider, model, "input").increment(used.uncachedInput());
    tokenCounter(provider, model, "cache_read").increment(used.cacheRead());
    tokenCounter(provider, model, "cache_write").increment(used.cacheWrite());
    tokenCounter(provider, model, "output").increment(used.output());
    tokenCounter(provider, model, "reasoning").increment(used.reasoningOrZero());
    if (!used.media().isNone()) { // subsets of input and output, like reasoning; rare, so no series until seen
      tokenCounter(provider, model, "audio_input").increment(used.media().audioInput());
      tokenCounter(provider, model, "audio_output").increment(used.media().audioOutput());
      tokenCounter(provider, model, "image_input").increment(used.media().imageInput());
      tokenCounter(provider, model, "image_output").increment(used.media().imageOutput());
    }
    cached(costCounters, provider + '|' + model,
        k -> cost.withTags(TagSet.builder().add("provider", provider).add("model", model).build())).increment(costNanos);
    if (isUnpriced) {
      counter(unpriced, "provider", provider).increment();
    }
    if (isEstimated) {
      counter(estimated, "provider", provider).increment();
    }
  }

  /** Publishes an org's budget use; an org without a budget publishes nothing. */
  public void budgetUsed(String orgId, QuotaView quota) {
    Long budget = quota.limits().monthlyBudgetNanos();
    if (budget == null || budget == 0) {
      forgetOrg(orgId);
      return;
    }
    double used = (double) (quota.month().budgetUsedNanos() + quota.reservedCostNanos()) / budget; // a ratio for alerts
    budgetUsed.withTag("org", orgId).update(used);
  }

  public void forgetOrg(String orgId) {
    budgetUsed.remove(TagSet.of("org", orgId));
  }

  public void cluster(int up, int unreachable, int other) {
    clusterMembers.withTag("status", "up").update(up);
    clusterMembers.withTag("status", "unreachable").update(unreachable);
    clusterMembers.withTag("status", "other").update(other);
  }

  public void sharding(int shardCount, int orgCount) {
    shards.withoutTags().update(shardCount);
    orgs.withoutTags().update(orgCount);
  }

  public void denial(DenialReason reason) {
    counter(denials, "reason", reason.name().toLowerCase()).increment();
  }

  public void pii(Map<PiiType, Integer> found) {
    found.forEach((type, count) -> counter(pii, "type", type.label()).increment(count));
  }

  public void cache(String provider, boolean hit) {
    counter(hit ? cacheHits : cacheMisses, "provider", provider).increment();
  }

  public void idempotentReplay(String provider) {
    counter(replays, "provider", provider).increment();
  }

  public void usageUnsettled() {
    counter(unsettled, "node", "local").increment();
  }

  public void journalRejected(int events) {
    counter(rejected, "node", "local").increment(events);
  }

  public void journalWrite(int records, long nanos) {
    journalBatch.record(records);
    journalLatency.record(nanos);
  }

  private Counter tokenCounter(String provider, String model, String tokenClass) {
    return cached(tokenCounters, provider + '|' + model + '|' + tokenClass,
        k -> tokens.withTags(TagSet.builder().add("provider", provider).add("model", model).add("class", tokenClass).build()));
  }

  private Histogram histogram(Metric.Histogram metric, String provider) {
    return cached(histograms, metric.name() + '|' + provider, k -> metric.withTag("provider", provider));
  }

  private Counter counter(Metric.Counter metric, String tag, String value) {
    return cached(simpleCounters, metric.name() + '|' + value, k -> metric.withTag(tag, value));
  }

  private static <T> T cached(Map<String, T> cache, String key, Function<String, T> create) {
    T found = cache.get(key);
    return found != null ? found : cache.computeIfAbsent(key, create);
  }
}
