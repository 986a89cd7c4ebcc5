package io.tollgate.node.request;

import io.tollgate.node.request.UsageTap.End;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.UpstreamAttempt;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.pricing.Charge;
import io.tollgate.protocol.pricing.Cost;
import io.tollgate.protocol.pricing.Units;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.Endpoint.Billing;
import io.tollgate.protocol.provider.RequestFacts;
import io.tollgate.protocol.provider.StreamUsageReader;
import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.TokenUsage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a call costs: the hold asked for before it, and after it the usage the provider reported (or the
 * gateway's own count where it reported none), priced and made into the {@link UsageRecord} the org journals.
 * No actor in it; one per node.
 */
public final class Metering {
  private final Pricer pricer;
  private final TokenEstimator estimator;
  private final long defaultMaxOutputTokens;
  private final Clock clock;

  /**
   * What a call used and cost.
   *
   * @param estimated the gateway counted the tokens: the provider reported none
   * @param providerCostNanos the cost the provider itself reported, if it did
   * @param savedCostNanos an answer from the response cache: what it cost when it was made; null otherwise
   */
  public record Metered(String model, TokenUsage tokens, boolean estimated, Pricer.Priced priced, Long providerCostNanos,
      Long savedCostNanos) {
    public Metered(String model, TokenUsage tokens, boolean estimated, Pricer.Priced priced, Long providerCostNanos) {
      this(model, tokens, estimated, priced, providerCostNanos, null);
    }
  }

  public Metering(Pricer pricer, TokenEstimator estimator, long defaultMaxOutputTokens, Clock clock) {
    this.pricer = pricer;
    this.estimator = estimator;
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    this.clock = clock;
  }

  public Pricer pricer() {
    return pricer;
  }

  TokenEstimator estimator() {
    return estimator;
  }

  /** The ask for a hold: the most the call can use and cost, from its prompt's size and its output cap. */
  public AdmitRequest admitRequest(ProxyCall call, long deadlineMillis) {
    // Every token of a text prompt is at least one byte of it; a form's bytes are mostly a file's, not tokens.
    boolean prompt = call.endpoint().body() == Endpoint.Body.JSON && call.endpoint().billing() == Billing.PER_CALL;
    long promptBound = prompt ? call.clientBody().length : 0;
    Long cap = call.facts().maxOutputTokens();
    long maxOutput = cap != null ? cap : defaultMaxOutputTokens;
    long tokens = (promptBound + 3) / 4 + maxOutput;
    String provider = call.provider().id().id();
    Pricer.Hold hold = pricer.hold(provider, call.facts().model(), promptBound, maxOutput, cap == null);
    Units units = call.facts().units();
    long pieces = pricer.holdPieces(provider, call.facts().model(), units);
    HoldBasis basis = hold.basis();
    if (call.endpoint().billing() != Billing.PER_CALL) {
      basis = new HoldBasis(call.facts().model(), 0, 0); // nothing to hold, and priced: free, or billed when read
    } else if (pieces > 0 && basis.catalogModel() == null) { // priced by the piece only (DALL·E, Whisper, TTS)
      basis = new HoldBasis(units.pricedAs() != null ? units.pricedAs() : call.facts().model(), basis.promptTokens(),
          basis.outputTokens());
    }
    return new AdmitRequest(call.requestId(), call.key().keyId(), call.secretHash(), call.facts().model(), tokens,
        Saturating.add(hold.costNanos(), pieces), basis, deadlineMillis, 1, call.attribution(), provider,
        call.options().fallbacks());
  }

  /**
   * A whole answer: the usage in its body, else the gateway's count of its text; and its pieces (images, seconds):
   * those the answer reports, else, if it reports no tokens either, those the request asked for (characters).
   */
  public Metered whole(ProxyCall call, Admitted admitted, byte[] body) {
    if (call.endpoint().billing() == Billing.ONCE_AT_BATCH_RATE) {
      return batch(call, admitted, body);
    }
    Optional<ReportedUsage> usage = call.endpoint().usage().fromBody(body);
    String model = usage.map(ReportedUsage::model).filter(m -> m != null).orElse(call.facts().model());
    TokenUsage tokens = usage.map(ReportedUsage::tokens)
        .orElseGet(() -> estimate(call, call.endpoint().usage().completionText(body), Optional.empty()));
    Units asked = call.facts().units();
    Units units = usage.map(ReportedUsage::units).map(u -> asked == null ? u : u.pricedAs(asked.pricedAs()))
        .orElse(usage.isPresent() && tokens.total() == 0 ? asked : null);
    return new Metered(model, tokens, usage.isEmpty(), price(call, admitted, model, tokens, units),
        usage.map(ReportedUsage::providerCostNanos).orElse(null));
  }

  /** A batch's results: each model's answers priced at the batch rate, summed; recorded under the first model. */
  private Metered batch(ProxyCall call, Admitted admitted, byte[] body) {
    List<ReportedUsage> models = call.endpoint().usage().perModel(body);
    if (models.isEmpty()) {
      return nothing(call, admitted);
    }
    TokenUsage tokens = TokenUsage.ZERO;
    List<Charge> charges = new ArrayList<>();
    boolean unpriced = false;
    Pricer.Priced priced = null;
    for (ReportedUsage answers : models) {
      String model = answers.model() != null ? answers.model() : call.facts().model();
      priced = price(call, admitted, model, answers.tokens(), null).atBatchRate();
      tokens = tokens.plus(answers.tokens());
      charges.addAll(priced.charges());
      unpriced |= priced.unpriced();
    }
    String model = models.get(0).model() != null ? models.get(0).model() : call.facts().model();
    return new Metered(model, tokens, false, new Pricer.Priced(Cost.of(charges), unpriced, priced.priceSource(), charges),
        null);
  }

  /** A stream, however it ended: the usage it reported, else the gateway's count of what was streamed. */
  public Metered streamed(ProxyCall call, Admitted admitted, StreamUsageReader reader) {
    Optional<ReportedUsage> usage = reader.usage();
    String model = usage.map(ReportedUsage::model).filter(m -> m != null)
        .orElse(reader.model() != null ? reader.model() : call.facts().model());
    TokenUsage tokens = usage.map(ReportedUsage::tokens)
        .orElseGet(() -> estimate(call, reader.streamedText(), reader.partialUsage()));
    return metered(call, admitted, model, tokens, usage);
  }

  /** An answer that broke off before anything of it was read: the prompt was still sent, so it is counted. */
  public Metered cut(ProxyCall call, Admitted admitted) {
    return metered(call, admitted, call.facts().model(), estimate(call, "", Optional.empty()), Optional.empty());
  }

  /** An answer served from the response cache: no tokens, no cost, and what it saved. */
  public Metered cached(ProxyCall call, Admitted admitted, String model, long savedCostNanos) {
    Metered nothing = nothing(call, admitted);
    return new Metered(model, TokenUsage.ZERO, false, nothing.priced(), null, savedCostNanos);
  }

  /** A call that used nothing the provider bills: it failed, or the provider refused it. */
  public Metered nothing(ProxyCall call, Admitted admitted) {
    String model = call.facts().model();
    return new Metered(model, TokenUsage.ZERO, false, price(call, admitted, model, TokenUsage.ZERO, null), null);
  }

  /** How a stream's end reads as an outcome. */
  public static Outcome outcome(End end, StreamUsageReader reader) {
    return switch (end) {
      // A provider that answered 200 and then sent an error event did not succeed, whatever the status said.
      case COMPLETED -> reader.streamError().isPresent() ? Outcome.UPSTREAM_ERROR : Outcome.COMPLETED;
      case UPSTREAM_FAILED -> Outcome.UPSTREAM_CUT;
      case CLIENT_CANCELLED -> Outcome.CLIENT_DISCONNECTED;
      case STOPPED -> Outcome.STOPPED_AT_BUDGET;
    };
  }

  /**
   * The record the org journals; {@code admitted} is null for a call passed through unmetered, and
   * {@code upstreamNanos} is -1 if no answer came.
   */
  public UsageRecord record(ProxyCall call, Admitted admitted, Outcome outcome, int clientStatus, Metered metered,
      long upstreamNanos, List<UpstreamAttempt> attempts) {
    long nowMillis = clock.millis();
    boolean isMetered = admitted != null;
    // The provider names the model it used: whatever it sends, the record takes it as safe text.
    return new UsageRecord(call.requestId(), isMetered ? admitted.reservation() : null, call.key().keyId(),
        isMetered ? admitted.admittedAtMillis() : nowMillis, nowMillis, call.provider().id().id(),
        SafeText.clean(metered.model(), RequestFacts.MAX_MODEL_LENGTH), clientStatus, outcome, metered.tokens(),
        metered.priced().costNanos(), metered.priced().priceSource(), metered.priced().unpriced(), metered.estimated(),
        isMetered && admitted.attribution() != null ? admitted.attribution() : call.attribution(), call.endpoint().api(),
        metered.providerCostNanos(), isMetered ? admitted.overLimits() : null,
        (System.nanoTime() - call.receivedNanos()) / 1_000_000, upstreamNanos < 0 ? null : upstreamNanos / 1_000_000,
        metered.priced().charges(), attempts, metered.savedCostNanos());
  }

  private Metered metered(ProxyCall call, Admitted admitted, String model, TokenUsage tokens,
      Optional<ReportedUsage> usage) {
    return new Metered(model, tokens, usage.isEmpty(), price(call, admitted, model, tokens, null),
        usage.map(ReportedUsage::providerCostNanos).orElse(null));
  }

  /** At the price of the moment the org admitted the call (prices change by the hour), with the org's own prices. */
  private Pricer.Priced price(ProxyCall call, Admitted admitted, String model, TokenUsage tokens, Units units) {
    if (call.endpoint().billing() == Billing.FREE) {
      return new Pricer.Priced(0, false, pricer.catalog().version(), List.of());
    }
    long at = admitted != null ? admitted.admittedAtMillis() : clock.millis();
    return pricer.price(call.provider().id().id(), model, call.facts().model(), tokens, units, at,
        admitted != null ? admitted.pricing() : OrgPricing.DEFAULT);
  }

  /** Tokens counted by the gateway; what the provider already reported (e.g. input at the start) wins. */
  private TokenUsage estimate(ProxyCall call, String outputText, Optional<TokenUsage> reportedSoFar) {
    TokenUsage counted = estimator.estimate(call.facts().model(), call.clientBody(), outputText);
    return reportedSoFar.map(p -> new TokenUsage(p.input(), Math.max(p.output(), counted.output()), p.cacheRead(),
        p.cacheWrite(), null, p.cacheWrite1h())).orElse(counted);
  }
}
