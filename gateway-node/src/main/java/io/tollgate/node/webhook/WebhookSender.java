package io.tollgate.node.webhook;

import io.tollgate.persistence.webhook.WebhookOutbox;
import io.tollgate.persistence.webhook.WebhookOutbox.Attempt;
import io.tollgate.persistence.webhook.WebhookOutbox.Backlog;
import io.tollgate.persistence.webhook.WebhookOutbox.Due;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kamon.Kamon;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook deliveries that are due, on every node: claims a few at a time from the outbox, posts each
 * signed, without following redirects, within the attempt timeout, and records how it went and when to try
 * again. Attempts run side by side, at most a few per webhook, so a slow or dead endpoint holds up only its own
 * deliveries.
 */
public final class WebhookSender {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final int PER_WEBHOOK = 8;
  private static final Duration BACKLOG_EVERY = Duration.ofSeconds(10);

  private final WebhookOutbox outbox;
  private final WebhookTargets targets;
  private final Duration timeout;
  private final int maxInFlight;
  private final Executor blocking;
  private final Clock clock;
  private final HttpClient client;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Attempts in flight per webhook ({@code "org webhook"}): one at its cap is left out of the next claims. */
  private final Map<String, Integer> perWebhook = new ConcurrentHashMap<>();
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile boolean failing;
  private volatile Backlog backlog;
  private volatile long backlogCountedNanos = System.nanoTime() - BACKLOG_EVERY.toNanos();

  private final Metric.Counter sent = Kamon.counter("tollgate.webhook.deliveries",
      "Webhook delivery attempts by result: delivered, retrying, failed (no attempt left)");
  private final Metric.Histogram latency = Kamon.histogram("tollgate.webhook.latency",
      "Time from sending a webhook delivery to its answer's status", MeasurementUnit.time().nanoseconds());
  private final Metric.Gauge pending = Kamon.gauge("tollgate.webhook.backlog",
      "Webhook deliveries waiting to be delivered, the cluster's, as counted by this node");
  private final Metric.Gauge oldest = Kamon.gauge("tollgate.webhook.oldest.pending",
      "Age of the oldest webhook delivery waiting to be delivered", MeasurementUnit.time().seconds());

  public WebhookSender(WebhookOutbox outbox, WebhookTargets targets, Duration timeout, int maxInFlight, Executor blocking,
      Clock clock) {
    this.outbox = outbox;
    this.targets = targets;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    this.blocking = blocking;
    this.clock = clock;
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .executor(blocking)
        .build();
  }

  /** Looks for due deliveries and sends them; called every poll interval, a call still running is not doubled. */
  public void poll() {
    if (!polling.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture.runAsync(this::claimAndSend, blocking).whenComplete((done, error) -> polling.set(false));
  }

  /** The backlog as last counted (every 10 s), or null before the first count. */
  public Backlog backlog() {
    return backlog;
  }

  private void claimAndSend() {
    countBacklog();
    int room = maxInFlight - inFlight.get();
    if (room <= 0) {
      return;
    }
    List<Due> due;
    try {
      // Held past the attempt's timeout, so only a node that died (or lost its database) lets a claim run out.
      Set<String> busy = perWebhook.entrySet().stream().filter(e -> e.getValue() >= PER_WEBHOOK).map(Map.Entry::getKey)
          .collect(Collectors.toSet());
      due = outbox.claim(room, PER_WEBHOOK, timeout.multipliedBy(2).plusSeconds(5), busy);
      if (failing) {
        failing = false;
        log.atInfo().log("reading the webhook outbox again");
      }
    } catch (SQLException e) {
      if (!failing) {
        failing = true;
        log.atWarn().addKeyValue("error", e.getMessage()).log("cannot read the webhook outbox; trying again");
      }
      return;
    }
    due.forEach(this::send);
  }

  private void countBacklog() {
    if (System.nanoTime() - backlogCountedNanos < BACKLOG_EVERY.toNanos()) {
      return;
    }
    backlogCountedNanos = System.nanoTime();
    try {
      Backlog counted = outbox.backlog();
      backlog = counted;
      pending.withoutTags().update(counted.pending());
      oldest.withoutTags().update(counted.oldest() == null ? 0
          : Math.max(0, clock.millis() - counted.oldest().toEpochMilli()) / 1000.0);
    } catch (SQLException e) {
      // Counted again in 10 s; the claim below says whether the outbox can be read at all.
    }
  }

  private void send(Due due) {
    inFlight.incrementAndGet();
    perWebhook.merge(WebhookOutbox.key(due.orgId(), due.webhookId()), 1, Integer::sum);
    Instant at = clock.instant();
    try {
      // Checked again at each attempt: the operator may have allowed less since, and a name may now resolve inward.
      Optional<String> refused = targets.refusal(due.url()).or(() -> targets.deliveryRefusal(URI.create(due.url()).getHost()));
      if (refused.isPresent()) {
        finish(due, at, new Attempt(null, 0, refused.get()));
      } else {
        post(due, at);
      }
    } catch (RuntimeException e) {
      finish(due, at, new Attempt(null, 0, describe(e)));
    }
  }

  private void post(Due due, Instant at) {
    URI uri = URI.create(due.url());
    long timestamp = at.getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header("user-agent", "Tollgate-Webhooks/1")
        .header("webhook-id", due.messageId())
        .header("webhook-timestamp", Long.toString(timestamp))
        .header("webhook-signature", WebhookSignature.sign(due.secret(), due.messageId(), timestamp, due.body()))
        .POST(HttpRequest.BodyPublishers.ofString(due.body()))
        .build();
    long started = System.nanoTime();
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenCompleteAsync((response, error) -> {
      long nanos = System.nanoTime() - started;
      latency.withoutTags().record(nanos);
      long millis = nanos / 1_000_000;
      finish(due, at, error == null
          ? new Attempt(response.statusCode(), millis, response.statusCode() / 100 == 2 ? null : "answered " + response.statusCode())
          : new Attempt(null, millis, describe(error)));
    }, blocking);
  }

  private void finish(Due due, Instant at, Attempt attempt) {
    try {
      int number = due.attempts() + 1;
      Instant next = attempt.delivered() ? null
          : RetrySchedule.after(number, ThreadLocalRandom.current()).map(at::plus).orElse(null);
      outbox.record(due, attempt, at, next);
      sent.withTag("result", attempt.delivered() ? "delivered" : next == null ? "failed" : "retrying").increment();
      if (!attempt.delivered() && next == null) {
        log.atWarn().addKeyValue("org", due.orgId()).addKeyValue("webhook", due.webhookId())
            .addKeyValue("message", due.messageId()).addKeyValue("error", attempt.error())
            .log("gave up on a webhook delivery after its last attempt");
      }
    } catch (SQLException e) {
      // Not recorded: the claim runs out and the delivery is sent again, with the same message id.
      log.atWarn().addKeyValue("message", due.messageId()).addKeyValue("error", e.getMessage())
          .log("cannot record a webhook attempt; it will be sent again");
    } finally {
      inFlight.decrementAndGet();
      perWebhook.computeIfPresent(WebhookOutbox.key(due.orgId(), due.webhookId()), (k, n) -> n > 1 ? n - 1 : null);
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException
        ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return "timed out";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
