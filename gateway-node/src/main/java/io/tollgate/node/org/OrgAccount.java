package io.tollgate.node.org;

import io.tollgate.node.org.Holds.Hold;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MonthTotals;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.PriceOverride;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.org.UtcPeriods;
import io.tollgate.protocol.pricing.Cost;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One org's rules, with no actor or I/O in it: admit or deny from memory, hold then settle, count the
 * minute and the month, decide admin changes, and say what to journal next. The facade {@link OrgEntity}
 * uses; each job is a part of its own ({@link KeyCheck}, {@link RateWindow}, {@link Holds},
 * {@link PendingWrites}, {@link AdminPolicy}).
 *
 * <p>State has three layers: the {@link OrgBook} as last journaled; what was accepted since and awaits a
 * write; and the live, never journaled holds of requests in flight. Admission looks at all three, so it
 * never waits for the journal.
 */
public final class OrgAccount {
  private final String orgId;
  private final OrgSettings settings;
  private final RateWindow window;
  private final Holds holds;
  private final PendingWrites pending;
  private final AdminPolicy admin;

  private OrgBook book;
  private MonthTotals month;
  private String period;
  private long periodEnd;

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

  /** One journal write: the events, and the holds it makes durable (settled or abandoned). */
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
    this.orgId = orgId;
    this.settings = settings;
    this.window = new RateWindow(now, recovered.minute());
    this.holds = new Holds(incarnation);
    this.pending = new PendingWrites(settings, elapsedMillis);
    this.admin = new AdminPolicy(orgId);
    this.book = recovered;
    this.month = recovered.month();
  }

  // ---- admission ----

  public Admission admit(AdmitRequest request, long now) {
    Denied refused = checkKey(request, now);
    if (refused != null) {
      return refused;
    }
    window.roll(now);
    if (request.repeated()) {
      Hold held = holds.of(request.requestId());
      if (held != null) { // the first answer was lost or late: the same hold again, never a second one
        return new Admitted(held.id(), held.admittedAt(), window.status(book.limits()), book.pricing());
      }
    }
    String keyId = request.keyId();
    OrgPricing pricing = book.pricing();
    PriceOverride override = pricing.overrideFor(request.model(), request.basis().catalogModel());
    if (override == null && request.basis().catalogModel() == null && pricing.unpricedModels() == UnpricedModels.REFUSE) {
      return deny(now, keyId, DenialReason.UNPRICED_MODEL, "The model '" + request.model()
          + "' has no price in this gateway, and this organization does not serve unpriced models.", 0, null);
    }
    long holdCost = override == null ? request.reservedCostNanos()
        : Cost.upperBound(request.basis().promptTokens(), request.basis().outputTokens(), override.price());
    Limits limits = book.limits();
    Denied overLimit = overLimit(limits, request, holdCost, now);
    if (overLimit != null) {
      return overLimit;
    }
    if (pending.usageCount() >= settings.maxUnjournaled() || pending.overdue()) {
      return deny(now, keyId, DenialReason.OVERLOADED, "The gateway's journal is behind; please retry shortly.", 1, null);
    }
    Hold hold = holds.add(request.requestId(), keyId, now, window.minute(), request.reservedTokens(), holdCost);
    window.admit(request.reservedTokens());
    return new Admitted(hold.id(), now, window.status(limits), pricing);
  }

  /** The denial by the first of the org's limits this request would pass, with its hold; else null. */
  private Denied overLimit(Limits limits, AdmitRequest request, long holdCost, long now) {
    String keyId = request.keyId();
    long toNextMinute = window.secondsToNext(now);
    if (limits.requestsPerMinute() != null && window.requests() + 1 > limits.requestsPerMinute()) {
      return deny(now, keyId, DenialReason.REQUESTS_PER_MINUTE, String.format(
          "Rate limit reached for requests per minute: limit %d, used %d. Please try again in %ds.",
          limits.requestsPerMinute(), window.requests(), toNextMinute), toNextMinute, window.status(limits));
    }
    long tokens = request.reservedTokens();
    if (limits.tokensPerMinute() != null && window.tokens() + tokens > limits.tokensPerMinute()) {
      String message = tokens > limits.tokensPerMinute()
          ? String.format("Request too large for tokens per minute: limit %d, this request may use up to %d"
              + " (prompt estimate plus max_tokens). Lower max_tokens.", limits.tokensPerMinute(), tokens)
          : String.format("Rate limit reached for tokens per minute: limit %d, used %d, requested up to %d."
              + " Please try again in %ds.", limits.tokensPerMinute(), window.tokens(), tokens, toNextMinute);
      return deny(now, keyId, DenialReason.TOKENS_PER_MINUTE, message, toNextMinute, window.status(limits));
    }
    MonthTotals thisMonth = monthAt(now);
    long toNextMonth = Math.max(1, (periodEnd - now + 999) / 1000);
    if (limits.monthlyRequests() != null && thisMonth.requests() + holds.count() + 1 > limits.monthlyRequests()) {
      return deny(now, keyId, DenialReason.MONTHLY_REQUESTS, String.format(
          "Monthly request quota of %d exhausted for %s.", limits.monthlyRequests(), period), toNextMonth,
          window.status(limits));
    }
    long held = holds.heldCost();
    if (limits.monthlyBudgetNanos() != null && thisMonth.budgetUsedNanos() + held + holdCost > limits.monthlyBudgetNanos()) {
      return deny(now, keyId, DenialReason.MONTHLY_BUDGET, String.format(
          "Monthly budget of $%s would be exceeded: spent $%s, held for requests in flight $%s, this request may cost"
              + " up to $%s.", Money.formatUsd(limits.monthlyBudgetNanos()), Money.formatUsd(thisMonth.budgetUsedNanos()),
          Money.formatUsd(held), Money.formatUsd(holdCost)), toNextMonth, window.status(limits));
    }
    return null;
  }

  /** For calls passed through unmetered (token counting): the key and model are checked, nothing is counted. */
  public Admission authenticate(AdmitRequest request, long now) {
    Admission refused = checkKey(request, now);
    return refused != null ? refused : new Admission.Authenticated();
  }

  private Denied checkKey(AdmitRequest request, long now) {
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, request);
    return refusal == null ? null : deny(now, refusal.keyId(), refusal.reason(), refusal.message(), 0, null);
  }

  private Denied deny(long now, String keyId, DenialReason reason, String message, long retryAfter, RateLimitStatus status) {
    pending.denied(now, keyId, reason);
    return new Denied(reason, message, retryAfter, status);
  }

  // ---- settlement ----

  public Settlement settle(UsageRecord record) {
    ReservationId id = record.reservation();
    if (pending.awaitingWrite(id)) {
      return Settlement.AWAITING_WRITE;
    }
    if (book.settled().contains(id)) {
      return Settlement.ALREADY_DURABLE;
    }
    Hold held = holds.take(id);
    long actualTokens = record.tokens().total();
    if (held != null) {
      window.settle(held.minute(), held.tokens(), actualTokens);
    } else {
      window.settleUncounted(record.admittedAtMillis(), actualTokens);
    }
    month = month.plus(UtcPeriods.monthOf(record.admittedAtMillis()), record);
    pending.usage(record);
    return Settlement.ACCEPTED;
  }

  /**
   * Gives back the hold of an admission whose requester gave up before the answer reached it, as if it had
   * never been admitted; false if there is none (the admission was refused, or not decided yet).
   */
  public boolean withdraw(String requestId) {
    Hold hold = holds.take(requestId);
    if (hold != null) {
      window.withdraw(hold.minute(), hold.tokens());
    }
    return hold != null;
  }

  /** Journals as abandoned every hold older than the TTL; returns how many. */
  public int expireHolds(long now) {
    List<Hold> expired = holds.takeAdmittedBefore(now - settings.holdTtl().toMillis());
    expired.forEach(this::abandoned);
    return expired.size();
  }

  /** Journals this request's hold as abandoned now (its requester failed); false if it holds nothing. */
  public boolean abandon(String requestId) {
    Hold hold = holds.take(requestId);
    if (hold != null) {
      abandoned(hold);
    }
    return hold != null;
  }

  /** A hold whose usage will never come: it still counts against the month, and is journaled. */
  private void abandoned(Hold hold) {
    pending.abandoned(new AbandonedReservation(hold.requestId(), hold.id(), hold.keyId(), hold.admittedAt(),
        hold.tokens(), hold.cost()));
    month = month.plusAbandoned(UtcPeriods.monthOf(hold.admittedAt()), hold.cost());
  }

  // ---- journal ----

  /**
   * True while a full batch already waits behind the write in flight: admissions should wait for the
   * journal rather than pile up more records than it can take. Not while the write is overdue: then
   * admissions are refused at once ({@link #admit}), as waiting would not end soon.
   */
  public boolean journalBehind() {
    return pending.behind();
  }

  /** True while the write in flight has been outstanding longer than the journal may lag. */
  public boolean journalOverdue() {
    return pending.overdue();
  }

  /** True while an admitted request has not settled (nor been withdrawn or abandoned). */
  public boolean holdsAny() {
    return !holds.isEmpty();
  }

  public boolean hasUnjournaled() {
    return pending.any();
  }

  public int unjournaledUsageCount() {
    return pending.usageCount();
  }

  /** The next write, if nothing is being written and there is something to write. */
  public Optional<Write> nextWrite(long now) {
    return pending.next(now);
  }

  /** The write handed out last is durable; {@code journaled} is the book with it applied. */
  public void written(OrgBook journaled) {
    book = journaled;
    pending.written();
  }

  // ---- administration ----

  public AdminDecision decide(AdminCommand command, long now) {
    AdminDecision decision = admin.decide(book, command, now);
    if (decision instanceof AdminDecision.Journal journal) {
      pending.admin(journal.event());
    }
    return decision;
  }

  /** The reply to an admin command given the book as it is now (after its event, if any, is journaled). */
  public AdminReply answer(AdminCommand command) {
    return admin.answer(book, command);
  }

  // ---- reading ----

  public QuotaView quota(long now) {
    window.roll(now);
    return new QuotaView(orgId, book.exists(), book.limits(), monthAt(now), window.requests(), window.tokens(),
        holds.count(), holds.heldCost());
  }

  public OrgBook book() {
    return book;
  }

  public int inFlight() {
    return holds.count();
  }

  private MonthTotals monthAt(long now) {
    if (period == null || now >= periodEnd) {
      period = UtcPeriods.monthOf(now);
      periodEnd = UtcPeriods.nextMonthStart(now);
    }
    return month.in(period);
  }
}
