package io.tollgate.node.org;

import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.AdminCommand.CreateOrg;
import io.tollgate.protocol.org.AdminCommand.DescribeOrg;
import io.tollgate.protocol.org.AdminCommand.DescribePricing;
import io.tollgate.protocol.org.AdminCommand.IssueKey;
import io.tollgate.protocol.org.AdminCommand.ListKeys;
import io.tollgate.protocol.org.AdminCommand.RemovePrice;
import io.tollgate.protocol.org.AdminCommand.RevokeKey;
import io.tollgate.protocol.org.AdminCommand.SetLimits;
import io.tollgate.protocol.org.AdminCommand.SetPrice;
import io.tollgate.protocol.org.AdminCommand.SetUnpricedModels;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply.Problem;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.DenialCount;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MonthTotals;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.org.UtcPeriods;
import io.tollgate.protocol.pricing.Cost;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One org's rules, with no actor or I/O in it: admit or deny from memory, reserve then settle, count the
 * minute and the month, decide admin changes, and say what to journal next.
 *
 * <p>State has three layers: the {@link OrgBook} as last journaled; what was accepted since and awaits a
 * write (settled usage, denials, abandoned reservations, one admin change); and the live, never journaled
 * reservations of requests in flight. Admission looks at all three, so it never waits for the journal.
 */
public final class OrgAccount {
  private final String orgId;
  private final long incarnation;
  private final OrgSettings settings;

  private OrgBook book;
  private MonthTotals month;
  private long windowMinute;
  private long windowRequests;
  private long windowTokens;
  private String period;
  private long periodEnd;

  private long nextSeq = 1;
  private final Map<Long, Reservation> reservations = new HashMap<>();
  private long reservedCost;

  private final List<UsageRecord> unjournaledUsage = new ArrayList<>();
  private final List<AbandonedReservation> unjournaledAbandoned = new ArrayList<>();
  private final Map<DenialKey, Long> unjournaledDenials = new HashMap<>();
  private long denialsSince;
  private OrgEvent unjournaledAdmin;
  /** Ids accepted (usage or abandonment) whose write has not completed yet. */
  private final Set<ReservationId> notYetDurable = new HashSet<>();
  private List<ReservationId> writing;
  /** When the write in flight was handed out, on {@link #elapsedMillis}: a wall clock may jump, this may not. */
  private long writingSince;
  private final LongSupplier elapsedMillis;

  private record Reservation(String requestId, String keyId, long admittedAt, long minute, long tokens, long cost) {}

  private record DenialKey(String keyId, DenialReason reason) {}

  /** What a settlement did. */
  public enum Settlement {
    /** Counted now; durable after the next write. */
    ACCEPTED,
    /** Counted before and already durable: ack at once. */
    ALREADY_DURABLE,
    /** Counted before, its write still pending: ack with that write. */
    AWAITING_WRITE
  }

  /** An admin command either answered at once or turned into an event to journal before answering. */
  public sealed interface AdminDecision {
    record Answer(AdminReply reply) implements AdminDecision {}

    record Journal(OrgEvent event) implements AdminDecision {}
  }

  /** One journal write: the events, and the reservations it makes durable. */
  public record Write(List<OrgEvent> events, List<ReservationId> reservations, boolean includesAdmin) {
    /** The same write with its events replaced (by their safe form, after the journal refused them). */
    public Write withEvents(List<OrgEvent> replaced) {
      return new Write(List.copyOf(replaced), reservations, includesAdmin);
    }
  }

  /** Asks this close to the requester's deadline are stale: the answer could arrive after it stopped waiting. */
  static final long LATE_MARGIN_MILLIS = 250;

  /**
   * True when the requester has stopped waiting for this ask, or is about to: it has asked again or given up,
   * so any answer, a hold above all, would go to no one. Such an ask is left unanswered, and uncounted.
   */
  public static boolean stale(AdmitRequest request, long now) {
    return request.answerByMillis() > 0 && now > request.answerByMillis() - LATE_MARGIN_MILLIS;
  }

  public OrgAccount(String orgId, long incarnation, OrgBook recovered, OrgSettings settings, long now) {
    this(orgId, incarnation, recovered, settings, now, () -> System.nanoTime() / 1_000_000);
  }

  /** As above, with the monotonic clock that times journal writes given (tests). */
  OrgAccount(String orgId, long incarnation, OrgBook recovered, OrgSettings settings, long now, LongSupplier elapsedMillis) {
    this.elapsedMillis = elapsedMillis;
    this.orgId = orgId;
    this.incarnation = incarnation;
    this.settings = settings;
    this.book = recovered;
    this.month = recovered.month();
    long minute = UtcPeriods.minuteOf(now);
    this.windowMinute = minute;
    if (recovered.minute().minute() == minute) {
      // Resume this minute's window from the journal: a restart must not grant a fresh minute.
      this.windowRequests = recovered.minute().requests();
      this.windowTokens = recovered.minute().tokens();
    }
  }

  // ---- admission ----

  public Admission admit(AdmitRequest request, long now) {
    Admission refused = checkKey(request, now);
    if (refused != null) {
      return refused;
    }
    ApiKey key = book.keys().get(request.keyId());
    if (request.repeated()) {
      Admitted held = heldFor(request.requestId(), now);
      if (held != null) {
        return held; // the first answer was lost or late: the same hold again, never a second one
      }
    }
    OrgPricing pricing = book.pricing();
    PriceOverride override = pricing.overrideFor(request.model(), request.basis().catalogModel());
    if (override == null && request.basis().catalogModel() == null && pricing.unpricedModels() == UnpricedModels.REFUSE) {
      return deny(now, key.id(), DenialReason.UNPRICED_MODEL, "The model '" + request.model()
          + "' has no price in this gateway, and this organization does not serve unpriced models.", 0, null);
    }
    long holdCost = override == null ? request.reservedCostNanos()
        : Cost.upperBound(request.basis().promptTokens(), request.basis().outputTokens(), override.price());
    rollWindow(now);
    Limits limits = book.limits();
    long toNextMinute = secondsUntil(now, (windowMinute + 1) * UtcPeriods.MINUTE_MILLIS);
    if (limits.requestsPerMinute() != null && windowRequests + 1 > limits.requestsPerMinute()) {
      return deny(now, key.id(), DenialReason.REQUESTS_PER_MINUTE, String.format(
          "Rate limit reached for requests per minute: limit %d, used %d. Please try again in %ds.",
          limits.requestsPerMinute(), windowRequests, toNextMinute), toNextMinute, status(limits));
    }
    if (limits.tokensPerMinute() != null && windowTokens + request.reservedTokens() > limits.tokensPerMinute()) {
      String message = request.reservedTokens() > limits.tokensPerMinute()
          ? String.format("Request too large for tokens per minute: limit %d, this request may use up to %d"
              + " (prompt estimate plus max_tokens). Lower max_tokens.", limits.tokensPerMinute(), request.reservedTokens())
          : String.format("Rate limit reached for tokens per minute: limit %d, used %d, requested up to %d."
              + " Please try again in %ds.", limits.tokensPerMinute(), windowTokens, request.reservedTokens(), toNextMinute);
      return deny(now, key.id(), DenialReason.TOKENS_PER_MINUTE, message, toNextMinute, status(limits));
    }
    MonthTotals thisMonth = monthAt(now);
    long toNextMonth = secondsUntil(now, periodEnd);
    if (limits.monthlyRequests() != null && thisMonth.requests() + reservations.size() + 1 > limits.monthlyRequests()) {
      return deny(now, key.id(), DenialReason.MONTHLY_REQUESTS, String.format(
          "Monthly request quota of %d exhausted for %s.", limits.monthlyRequests(), period), toNextMonth, status(limits));
    }
    if (limits.monthlyBudgetNanos() != null
        && thisMonth.budgetUsedNanos() + reservedCost + holdCost > limits.monthlyBudgetNanos()) {
      return deny(now, key.id(), DenialReason.MONTHLY_BUDGET, String.format(
          "Monthly budget of $%s would be exceeded: spent $%s, held for requests in flight $%s, this request may cost"
              + " up to $%s.", Money.formatUsd(limits.monthlyBudgetNanos()), Money.formatUsd(thisMonth.budgetUsedNanos()),
          Money.formatUsd(reservedCost), Money.formatUsd(holdCost)), toNextMonth, status(limits));
    }
    if (unjournaledUsage.size() >= settings.maxUnjournaled() || journalOverdue()) {
      return deny(now, key.id(), DenialReason.OVERLOADED, "The gateway's journal is behind; please retry shortly.", 1, null);
    }
    long seq = nextSeq++;
    reservations.put(seq, new Reservation(request.requestId(), key.id(), now, windowMinute,
        request.reservedTokens(), holdCost));
    reservedCost += holdCost;
    windowRequests++;
    windowTokens += request.reservedTokens();
    return new Admitted(new ReservationId(incarnation, seq), now, status(limits), pricing);
  }

  /** The admission already given to this request, if it still holds quota; else null. */
  private Admitted heldFor(String requestId, long now) {
    for (Map.Entry<Long, Reservation> e : reservations.entrySet()) {
      if (e.getValue().requestId().equals(requestId)) {
        rollWindow(now);
        return new Admitted(new ReservationId(incarnation, e.getKey()), e.getValue().admittedAt(), status(book.limits()),
            book.pricing());
      }
    }
    return null;
  }

  /** For calls passed through unmetered (token counting): the key and model are checked, nothing is counted. */
  public Admission authenticate(AdmitRequest request, long now) {
    Admission refused = checkKey(request, now);
    return refused != null ? refused : new Admission.Authenticated();
  }

  /** A denial if the key is unknown, wrong, revoked or not allowed this model; else null. */
  private Denied checkKey(AdmitRequest request, long now) {
    if (!book.exists()) {
      return deny(now, null, DenialReason.UNKNOWN_KEY, "Incorrect API key provided.", 0, null);
    }
    ApiKey key = book.keys().get(request.keyId());
    if (key == null || !sameHash(key.secretHash(), request.secretHash())) {
      return deny(now, null, DenialReason.UNKNOWN_KEY, "Incorrect API key provided.", 0, null);
    }
    if (key.revoked()) {
      return deny(now, key.id(), DenialReason.REVOKED_KEY, "This API key has been revoked.", 0, null);
    }
    if (!key.allows(request.model())) {
      return deny(now, key.id(), DenialReason.MODEL_NOT_ALLOWED,
          "This API key may not use the model '" + request.model() + "'.", 0, null);
    }
    return null;
  }

  private Denied deny(long now, String keyId, DenialReason reason, String message, long retryAfter, RateLimitStatus status) {
    if (unjournaledDenials.isEmpty()) {
      denialsSince = now;
    }
    unjournaledDenials.merge(new DenialKey(keyId, reason), 1L, Long::sum);
    return new Denied(reason, message, retryAfter, status);
  }

  private RateLimitStatus status(Limits limits) {
    Long rpm = limits.requestsPerMinute();
    Long tpm = limits.tokensPerMinute();
    return new RateLimitStatus(rpm, rpm == null ? 0 : Math.max(0, rpm - windowRequests),
        tpm, tpm == null ? 0 : Math.max(0, tpm - windowTokens), (windowMinute + 1) * UtcPeriods.MINUTE_MILLIS);
  }

  // ---- settlement ----

  public Settlement settle(UsageRecord record) {
    ReservationId id = record.reservation();
    if (notYetDurable.contains(id)) {
      return Settlement.AWAITING_WRITE;
    }
    if (book.settled().contains(id)) {
      return Settlement.ALREADY_DURABLE;
    }
    Reservation held = id.incarnation() == incarnation ? reservations.remove(id.seq()) : null;
    long actualTokens = record.tokens().total();
    if (held != null) {
      reservedCost -= held.cost();
      if (held.minute() == windowMinute) {
        windowTokens += actualTokens - held.tokens();
      }
    } else if (UtcPeriods.minuteOf(record.admittedAtMillis()) == windowMinute) {
      // Admitted by an earlier incarnation of this actor: this one never counted it.
      windowRequests++;
      windowTokens += actualTokens;
    }
    month = month.plus(UtcPeriods.monthOf(record.admittedAtMillis()), record);
    unjournaledUsage.add(record);
    notYetDurable.add(id);
    return Settlement.ACCEPTED;
  }

  /**
   * Releases the hold of an admission whose requester gave up before the answer reached it, as if it had
   * never been admitted; false if there is none (the admission was refused, or not decided yet).
   */
  public boolean withdraw(String requestId) {
    for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
      Reservation r = it.next();
      if (r.requestId().equals(requestId)) {
        it.remove();
        reservedCost -= r.cost();
        if (r.minute() == windowMinute) {
          windowRequests--;
          windowTokens -= r.tokens();
        }
        return true;
      }
    }
    return false;
  }

  /** Journals as abandoned every reservation older than the TTL; returns how many. */
  public int expireReservations(long now) {
    long cutoff = now - settings.reservationTtl().toMillis();
    int expired = 0;
    for (Iterator<Map.Entry<Long, Reservation>> it = reservations.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Reservation> e = it.next();
      if (e.getValue().admittedAt() < cutoff) {
        it.remove();
        abandoned(e.getKey(), e.getValue());
        expired++;
      }
    }
    return expired;
  }

  /** Journals this request's hold as abandoned now (its requester failed); false if it holds nothing. */
  public boolean abandon(String requestId) {
    for (Iterator<Map.Entry<Long, Reservation>> it = reservations.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Reservation> e = it.next();
      if (e.getValue().requestId().equals(requestId)) {
        it.remove();
        abandoned(e.getKey(), e.getValue());
        return true;
      }
    }
    return false;
  }

  /** A reservation taken out of the live ones whose usage will never come: its hold counts, and is journaled. */
  private void abandoned(long seq, Reservation r) {
    reservedCost -= r.cost();
    ReservationId id = new ReservationId(incarnation, seq);
    unjournaledAbandoned.add(new AbandonedReservation(r.requestId(), id, r.keyId(), r.admittedAt(), r.tokens(), r.cost()));
    notYetDurable.add(id);
    month = month.plusAbandoned(UtcPeriods.monthOf(r.admittedAt()), r.cost());
  }

  // ---- journal ----

  public boolean writeInFlight() {
    return writing != null;
  }

  /**
   * True while a full batch already waits behind the write in flight: admissions should wait for the
   * journal rather than pile up more records than it can take. Not while the write is overdue: then
   * admissions are refused at once ({@link #admit}), as waiting would not end soon.
   */
  public boolean journalBehind() {
    return writing != null && unjournaledUsage.size() >= settings.maxBatch() && !journalOverdue();
  }

  /** True while the write in flight has been outstanding longer than the journal may lag. */
  public boolean journalOverdue() {
    return writing != null && elapsedMillis.getAsLong() - writingSince > settings.maxJournalLag().toMillis();
  }

  /** True while an admitted request has not settled (nor been withdrawn or abandoned). */
  public boolean holdsAny() {
    return !reservations.isEmpty();
  }

  public boolean hasUnjournaled() {
    return unjournaledAdmin != null || !unjournaledUsage.isEmpty() || !unjournaledAbandoned.isEmpty()
        || !unjournaledDenials.isEmpty();
  }

  public int unjournaledUsageCount() {
    return unjournaledUsage.size();
  }

  /** The next write, if nothing is being written and there is something to write. */
  public Optional<Write> nextWrite(long now) {
    if (writing != null || !hasUnjournaled()) {
      return Optional.empty();
    }
    List<OrgEvent> events = new ArrayList<>(4);
    List<ReservationId> ids = new ArrayList<>();
    boolean admin = unjournaledAdmin != null;
    if (admin) {
      events.add(unjournaledAdmin);
      unjournaledAdmin = null;
    }
    if (!unjournaledUsage.isEmpty()) {
      int n = Math.min(unjournaledUsage.size(), settings.maxBatch());
      List<UsageRecord> batch = List.copyOf(unjournaledUsage.subList(0, n));
      unjournaledUsage.subList(0, n).clear();
      batch.forEach(r -> ids.add(r.reservation()));
      events.add(new OrgEvent.UsageRecorded(batch, now));
    }
    if (!unjournaledAbandoned.isEmpty()) {
      List<AbandonedReservation> batch = List.copyOf(unjournaledAbandoned);
      unjournaledAbandoned.clear();
      batch.forEach(a -> ids.add(a.reservation()));
      events.add(new OrgEvent.ReservationsAbandoned(batch, now));
    }
    if (!unjournaledDenials.isEmpty()) {
      List<DenialCount> counts = new ArrayList<>(unjournaledDenials.size());
      unjournaledDenials.forEach((k, n) -> counts.add(new DenialCount(k.keyId(), k.reason(), n)));
      counts.sort(Comparator.comparing(DenialCount::reason).thenComparing(c -> String.valueOf(c.keyId())));
      events.add(new OrgEvent.RequestsDenied(counts, denialsSince, now));
      unjournaledDenials.clear();
    }
    writing = ids;
    writingSince = elapsedMillis.getAsLong();
    return Optional.of(new Write(events, ids, admin));
  }

  /** The write handed out last is durable; {@code journaled} is the book with it applied. */
  public void written(OrgBook journaled) {
    book = journaled;
    if (writing != null) {
      writing.forEach(notYetDurable::remove);
      writing = null;
    }
  }

  // ---- administration ----

  public AdminDecision decide(AdminCommand command, long now) {
    if (command instanceof CreateOrg c) {
      return book.exists()
          ? answer(new AdminReply.Rejected(Problem.ALREADY_EXISTS, "Org '" + orgId + "' already exists."))
          : journal(new OrgEvent.OrgCreated(new OrgProfile(orgId, c.name(), now), c.limits()));
    }
    if (!book.exists()) {
      return answer(new AdminReply.Rejected(Problem.NOT_FOUND, "No org '" + orgId + "'."));
    }
    if (command instanceof SetLimits c) {
      return journal(new OrgEvent.LimitsChanged(c.limits(), now));
    } else if (command instanceof IssueKey c) {
      return book.keys().containsKey(c.keyId())
          ? answer(new AdminReply.Rejected(Problem.ALREADY_EXISTS, "Key '" + c.keyId() + "' already exists."))
          : journal(new OrgEvent.KeyIssued(new ApiKey(c.keyId(), c.name(), c.secretHash(), c.allowedModels(), now, null)));
    } else if (command instanceof RevokeKey c) {
      ApiKey key = book.keys().get(c.keyId());
      if (key == null) {
        return answer(new AdminReply.Rejected(Problem.NOT_FOUND, "No key '" + c.keyId() + "' in org '" + orgId + "'."));
      }
      return key.revoked() ? answer(new AdminReply.KeyDescription(key.info())) : journal(new OrgEvent.KeyRevoked(key.id(), now));
    } else if (command instanceof SetPrice c) {
      return journal(new OrgEvent.PriceOverrideSet(new PriceOverride(OrgPricing.key(c.model()), c.price(), now)));
    } else if (command instanceof RemovePrice c) {
      if (book.pricing().overrideFor(c.model()) == null) {
        return answer(new AdminReply.Rejected(Problem.NOT_FOUND, "Org '" + orgId + "' has no price of its own for '"
            + c.model() + "'."));
      }
      return journal(new OrgEvent.PriceOverrideRemoved(OrgPricing.key(c.model()), now));
    } else if (command instanceof SetUnpricedModels c) {
      return journal(new OrgEvent.UnpricedModelsSet(c.policy(), now));
    }
    return answer(answer(command));
  }

  /** The reply to an admin command given the book as it is now (after its event, if any, is journaled). */
  public AdminReply answer(AdminCommand command) {
    if (!book.exists()) {
      return new AdminReply.Rejected(Problem.NOT_FOUND, "No org '" + orgId + "'.");
    }
    if (command instanceof IssueKey c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info());
    } else if (command instanceof RevokeKey c) {
      return new AdminReply.KeyDescription(book.keys().get(c.keyId()).info());
    } else if (command instanceof ListKeys) {
      return new AdminReply.KeyList(book.keys().values().stream()
          .sorted(Comparator.comparingLong(ApiKey::createdAtMillis).thenComparing(ApiKey::id))
          .map(ApiKey::info).toList());
    }
    if (command instanceof SetPrice || command instanceof RemovePrice || command instanceof SetUnpricedModels
        || command instanceof DescribePricing) {
      return new AdminReply.PricingDescription(book.pricing());
    }
    // CreateOrg, SetLimits, DescribeOrg
    int active = (int) book.keys().values().stream().filter(k -> !k.revoked()).count();
    return new AdminReply.OrgDescription(book.profile(), book.limits(), active);
  }

  private AdminDecision journal(OrgEvent event) {
    unjournaledAdmin = event;
    return new AdminDecision.Journal(event);
  }

  private static AdminDecision answer(AdminReply reply) {
    return new AdminDecision.Answer(reply);
  }

  // ---- reading ----

  public QuotaView quota(long now) {
    rollWindow(now);
    return new QuotaView(orgId, book.exists(), book.limits(), monthAt(now), windowRequests, windowTokens, reservations.size(), reservedCost);
  }

  public OrgBook book() {
    return book;
  }

  public int inFlight() {
    return reservations.size();
  }

  // ---- time ----

  private void rollWindow(long now) {
    long minute = UtcPeriods.minuteOf(now);
    if (minute != windowMinute) {
      windowMinute = minute;
      windowRequests = 0;
      windowTokens = 0;
      // Requests admitted in the old minute and still in flight stay out of the new window.
    }
  }

  private MonthTotals monthAt(long now) {
    if (period == null || now >= periodEnd) {
      period = UtcPeriods.monthOf(now);
      periodEnd = UtcPeriods.nextMonthStart(now);
    }
    return month.in(period);
  }

  private static long secondsUntil(long now, long then) {
    return Math.max(1, (then - now + 999) / 1000);
  }

  private static boolean sameHash(String stored, String presented) {
    return presented != null
        && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
  }
}
