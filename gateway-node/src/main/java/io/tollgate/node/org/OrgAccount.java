package io.tollgate.node.org;

import io.tollgate.node.org.Holds.Grant;
import io.tollgate.node.org.Holds.Hold;
import io.tollgate.node.org.LimitCheck.Breach;
import io.tollgate.node.org.LimitCheck.Verdict;
import io.tollgate.node.org.ScopeCounters.Counted;
import io.tollgate.protocol.Saturating;
import io.tollgate.protocol.org.AbandonedReservation;
import io.tollgate.protocol.org.AdminCommand;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission.Admitted;
import io.tollgate.protocol.org.Admission.Denied;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.AdmitRequest;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.Block;
import io.tollgate.protocol.org.Denial;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.MonthTotals;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgPricing;
import io.tollgate.protocol.org.Outcome;
import io.tollgate.protocol.org.Periods;
import io.tollgate.protocol.org.QuotaView;
import io.tollgate.protocol.org.RateLimitStatus;
import io.tollgate.protocol.org.RequestScopes;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.ScopeUsage;
import io.tollgate.protocol.org.UnpricedModels;
import io.tollgate.protocol.org.UsageRecord;
import io.tollgate.protocol.org.Window;
import io.tollgate.protocol.org.WindowCount;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One org's rules, with no actor or I/O in it: admit or deny from memory, hold then settle, count the
 * limits of every scope a request counts in, decide admin changes, and say what to journal next. The facade
 * {@link OrgEntity} uses; each job is a part of its own ({@link KeyCheck}, {@link LimitCheck},
 * {@link ScopeCounters}, {@link Holds},
 * {@link PendingWrites}, {@link AdminPolicy}).
 *
 * <p>State has three layers: the {@link OrgBook} as last journaled; what was accepted since and awaits a
 * write; and the live, never journaled holds of requests in flight. Admission looks at all three, so it
 * never waits for the journal.
 */
public final class OrgAccount {
  private final String orgId;
  private final String orgScope; // org:<id>, its tally's key
  private final OrgSettings settings;
  private final ScopeCounters counters;
  private Periods periods;
  private final Holds holds;
  private final PendingWrites pending;
  private final AdminPolicy admin;
  private final OutputSizes outputs = new OutputSizes();
  private final ModelRates rates;

  private OrgBook book;
  private Limits orgLimits; // the book's, over its plan's: computed once per write, not per request
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

  public OrgAccount(String orgId, long incarnation, OrgBook recovered, OrgSettings settings, long now, ModelRates rates) {
    this(orgId, incarnation, recovered, settings, now, () -> System.nanoTime() / 1_000_000, rates);
  }

  /** As above, with the monotonic clock that times journal writes given (tests). */
  OrgAccount(String orgId, long incarnation, OrgBook recovered, OrgSettings settings, long now, LongSupplier elapsedMillis,
      ModelRates rates) {
    this.rates = rates;
    this.orgId = orgId;
    this.orgScope = ScopeKey.org(orgId).id();
    this.settings = settings;
    this.counters = new ScopeCounters(recovered.scopes(), settings.maxTrackedValues());
    this.periods = recovered.periods();
    this.holds = new Holds(incarnation);
    this.pending = new PendingWrites(settings, elapsedMillis);
    this.admin = new AdminPolicy(orgId);
    this.book = recovered;
    this.orgLimits = recovered.orgLimits();
    this.month = recovered.month();
  }

  // ---- admission ----

  public Admission admit(AdmitRequest request, long now) {
    Denied refused = checkKey(request, now);
    if (refused != null) {
      return refused;
    }
    if (request.repeated()) {
      Hold held = holds.of(request.requestId());
      if (held != null) { // the first answer was lost or late: the same hold again, never a second one
        return admitted(held);
      }
    }
    String keyId = request.keyId();
    ApiKey key = book.keys().get(keyId);
    String conflict = KeyCheck.bindingConflict(key, request.attribution());
    if (conflict != null) {
      return deny(request, now, keyId, DenialReason.BINDING_CONFLICT, conflict);
    }
    Attribution bound = RequestScopes.bound(key, request.attribution());
    List<ScopeKey> scopes = RequestScopes.of(orgId, keyId, bound);
    Block block = KeyCheck.block(book, scopes, now);
    if (block != null) {
      return deny(request, now, keyId, DenialReason.BLOCKED, KeyCheck.blocked(block),
          Math.max(1, (block.untilMillis() - now + 999) / 1000), null, block.scope(), null);
    }
    OrgPricing pricing = book.pricing();
    ModelChoice choice = ModelChoice.of(request, book, orgLimits, scopes, counters, outputs, rates, now);
    String model = choice.model();
    boolean unpriced = choice.unpriced();
    if (unpriced && pricing.unpricedModels() == UnpricedModels.REFUSE) {
      return deny(request, now, keyId, DenialReason.UNPRICED_MODEL, "The model '" + model
          + "' has no price in this gateway, and this organization does not serve unpriced models.");
    }
    long holdTokens = choice.size().tokens();
    long holdCost = choice.size().costNanos();
    ScopeSubjects.Result counting = ScopeSubjects.of(model, unpriced && pricing.unpricedModels() == UnpricedModels.BUDGETED,
        scopes, book, orgLimits, counters);
    if (counting.refusal() != null) {
      ScopeSubjects.Refusal r = counting.refusal();
      return deny(request, now, keyId, r.reason(), r.message(), r.retryAfterSeconds(), null, r.scope(), null);
    }
    List<Counted> counted = counting.counted();
    Verdict verdict = LimitCheck.check(counting.subjects(), holdTokens, holdCost, periods, now);
    Breach refusal = verdict.refusal();
    if (refusal != null) {
      return deny(request, now, keyId, refusal.reason(), refusal.message(now), refusal.retryAfterSeconds(now),
          verdict.status(), refusal.scope().id(), refusal.limitName());
    }
    if (pending.usageCount() >= settings.maxUnjournaled() || pending.overdue()) {
      return deny(request, now, keyId, DenialReason.OVERLOADED, "The gateway's journal is behind; please retry shortly.",
          1, null, null, null);
    }
    List<String> overLimits = verdict.unenforced().isEmpty() ? List.of()
        : verdict.unenforced().stream().map(Breach::label).toList();
    Hold hold = holds.add(request.requestId(), keyId, now, holdTokens, holdCost,
        new Grant(counted, bound, model, verdict.status(), overLimits, stopAt(holdCost, verdict),
            choice.downgraded() ? model : null, choice.fallbacks(), book.policies().piiFor(keyId),
            book.policies().cacheTtlFor(keyId)));
    counters.count(counted, periods, now, 1, holdTokens, holdCost);
    return admitted(hold);
  }

  private Admitted admitted(Hold hold) {
    Grant grant = hold.grant();
    return new Admitted(hold.id(), hold.admittedAt(), grant.status(), book.pricing(), grant.attribution(),
        grant.overLimits(), grant.stopAtNanos(), grant.servedBy(), grant.fallbacks(), grant.pii(),
        grant.cacheTtlSeconds());
  }

  /** Where an org that ends streams at a budget stops this one: its hold plus what the tightest hard budget has left. */
  private Long stopAt(long holdCost, Verdict verdict) {
    return book.profile().stopStreams() && verdict.hardBudgetLeft() != null
        ? Saturating.add(holdCost, verdict.hardBudgetLeft()) : null;
  }

  /** For calls passed through unmetered (token counting): the key and model are checked, nothing is counted. */
  public Admission authenticate(AdmitRequest request, long now) {
    Admission refused = checkKey(request, now);
    return refused != null ? refused : new Admission.Authenticated();
  }

  /** Which models a key may use, or why it may not ask at all; nothing counted or journaled. */
  public Admission keyAccess(String keyId, String secretHash, long now) {
    return KeyCheck.modelAccess(book, keyId, secretHash, now);
  }

  private Denied checkKey(AdmitRequest request, long now) {
    KeyCheck.Refusal refusal = KeyCheck.refusal(book, request, now);
    return refusal == null ? null : deny(request, now, refusal.keyId(), refusal.reason(), refusal.message());
  }

  private Denied deny(AdmitRequest request, long now, String keyId, DenialReason reason, String message) {
    return deny(request, now, keyId, reason, message, 0, null, null, null);
  }

  /** Counted per key, reason and scope; a refusal of a key the asker proved it holds is also kept in detail. */
  private Denied deny(AdmitRequest request, long now, String keyId, DenialReason reason, String message,
      long retryAfter, RateLimitStatus status, String scope, String limit) {
    pending.denied(now, keyId, reason, scope, keyId == null ? null : () -> new Denial(request.requestId(), now, keyId,
        request.provider(), request.model(), reason, scope, limit, request.attribution()));
    return new Denied(reason, message, retryAfter, status, scope);
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
    long served = record.served() ? 1 : 0; // what the provider refused counts in no request quota
    if (held != null) {
      counters.count(held.grant().counted(), periods, held.admittedAt(), served - 1, actualTokens - held.tokens(),
          record.costNanos() - held.cost());
      if (record.outcome() == Outcome.COMPLETED) {
        outputs.observe(held.grant().model(), record.tokens().output());
      }
    } else { // admitted by an earlier incarnation of this actor, which these counters never saw
      counters.count(ScopeSubjects.unheld(orgId, record, book, counters), periods,
          record.admittedAtMillis(), served, actualTokens, record.costNanos());
    }
    month = month.plus(monthOf(record.admittedAtMillis()), record);
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
      counters.count(hold.grant().counted(), periods, hold.admittedAt(), -1, -hold.tokens(), -hold.cost());
    }
    return hold != null;
  }

  /** Journals as abandoned every hold older than the TTL, and forgets scope values no period counts; returns how many holds. */
  public int expireHolds(long now) {
    List<Hold> expired = holds.takeAdmittedBefore(now - settings.holdTtl().toMillis());
    expired.forEach(this::abandoned);
    counters.prune(now);
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

  /** A hold whose usage will never come: it still counts, at what it held, and is journaled. */
  private void abandoned(Hold hold) {
    pending.abandoned(new AbandonedReservation(hold.requestId(), hold.id(), hold.keyId(), hold.admittedAt(),
        hold.tokens(), hold.cost(), hold.grant().attribution(), hold.grant().model()));
    month = month.plusAbandoned(monthOf(hold.admittedAt()), hold.cost());
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

  /**
   * The write handed out last is durable; {@code journaled} is the book with it applied. The limits it carried
   * usage across and the anomalies it revealed are journaled with the next write, for webhooks.
   */
  public void written(OrgBook journaled, long now) {
    if (!journaled.periods().equals(periods)) { // a new time zone: from the next period of each window
      periods = journaled.periods();
      period = null;
    }
    List<OrgEvent> notices = WriteNotices.of(book, journaled, now);
    book = journaled;
    orgLimits = journaled.orgLimits();
    pending.written();
    notices.forEach(pending::notice);
  }

  /** Rate-limit refusals of the minutes now over become a notice to journal; true if there is one. */
  public boolean closeMinutes(long now) {
    return pending.closeMinutes(now);
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
  public AdminReply answer(AdminCommand command, long now) {
    return admin.answer(book, command, now);
  }

  // ---- reading ----

  public QuotaView quota(long now) {
    WindowCount minute = counters.of(orgScope).at(Window.MINUTE, now);
    return new QuotaView(orgId, book.exists(), orgLimits, monthAt(now), minute.requests(), minute.tokens(),
        holds.count(), holds.heldCost(), scopeUsage(orgScope, now));
  }

  /** One scope value's usage ({@code team:research}), or every tracked value's of a scope ({@code team}). */
  public ScopeUsage scopeUsage(String scope, long now) {
    return counters.usage(scope, orgScope, book, periods, now);
  }

  public OrgBook book() {
    return book;
  }

  public int inFlight() {
    return holds.count();
  }

  private String monthOf(long at) {
    return counters.of(orgScope).monthOf(periods, at);
  }

  private MonthTotals monthAt(long now) {
    if (period == null || now >= periodEnd) {
      WindowCount current = counters.of(orgScope).at(Window.MONTH, now);
      period = monthOf(now);
      periodEnd = current.holds(now) ? current.end() : periods.end(Window.MONTH, now);
    }
    return month.in(period);
  }
}
