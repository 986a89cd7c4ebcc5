package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.org.OrgEvent.KeyIssued;
import io.tollgate.protocol.org.OrgEvent.KeyLimitsSet;
import io.tollgate.protocol.org.OrgEvent.KeyRevoked;
import io.tollgate.protocol.org.OrgEvent.LimitsChanged;
import io.tollgate.protocol.org.OrgEvent.OrgCreated;
import io.tollgate.protocol.org.OrgEvent.PriceOverrideRemoved;
import io.tollgate.protocol.org.OrgEvent.PriceOverrideSet;
import io.tollgate.protocol.org.OrgEvent.RequestsDenied;
import io.tollgate.protocol.org.OrgEvent.ScopeLimitsRemoved;
import io.tollgate.protocol.org.OrgEvent.ScopeLimitsSet;
import io.tollgate.protocol.org.OrgEvent.ReservationsAbandoned;
import io.tollgate.protocol.org.OrgEvent.UnpricedModelsSet;
import io.tollgate.protocol.org.OrgEvent.UsageRecorded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable state of an org: exactly what its journal says, folded. Immutable, so the ledger that owns it
 * can hand it to the org actor without copying; a new book shares every part an event did not change.
 *
 * @param profile null until the org is created
 * @param plan the plan it is on and that plan's limits; null if never on one
 * @param lastUsed when each key's last journaled request was admitted, by key id
 */
public record OrgBook(
    OrgProfile profile,
    Limits limits,
    Map<String, ApiKey> keys,
    MonthTotals month,
    SettledReservations settled,
    OrgPricing pricing,
    ScopeLimits rules,
    ScopeTallies scopes,
    OrgPlan plan,
    Map<String, Long> lastUsed,
    OrgAlerts alerts,
    OrgPolicies policies)
    implements CborSerializable {

  public static final OrgBook EMPTY = new OrgBook(
      null, Limits.UNLIMITED, Map.of(), MonthTotals.empty("0000-00"), SettledReservations.EMPTY, OrgPricing.DEFAULT,
      ScopeLimits.NONE, ScopeTallies.EMPTY, null, Map.of(), OrgAlerts.NONE, OrgPolicies.NONE);

  public OrgBook {
    keys = Map.copyOf(keys);
    // books snapshotted before these existed
    pricing = pricing == null ? OrgPricing.DEFAULT : pricing;
    rules = rules == null ? ScopeLimits.NONE : rules;
    scopes = scopes == null ? ScopeTallies.EMPTY : scopes;
    lastUsed = lastUsed == null ? Map.of() : Map.copyOf(lastUsed);
    alerts = alerts == null ? OrgAlerts.NONE : alerts;
    policies = policies == null ? OrgPolicies.NONE : policies;
  }

  /** The calendar of the org's limits. */
  public Periods periods() {
    return profile == null ? Periods.UTC : Periods.of(profile.timeZone());
  }

  /** The org's limits in force: its own, field by field over its plan's. */
  public Limits orgLimits() {
    return plan == null || plan.limits() == null ? limits : limits.over(plan.limits());
  }

  /** The name of the org's plan, or null. */
  public String planName() {
    return plan == null ? null : plan.name();
  }

  /** The limits that apply to a scope value: the org's, the key's own, or the value's (or its scope's default). */
  public Limits limitsOf(ScopeKey scope) {
    return switch (scope.scope()) {
      case ORG -> orgLimits();
      case KEY -> {
        ApiKey key = keys.get(scope.value());
        yield key == null ? null : key.limits();
      }
      default -> rules.of(scope);
    };
  }

  public boolean exists() {
    return profile != null;
  }

  public OrgBook apply(OrgEvent event) {
    return apply(event, ScopeTallies.DEFAULT_CAP);
  }

  /** The book after {@code event}, tracking at most {@code trackedCap} scope values. */
  public OrgBook apply(OrgEvent event, int trackedCap) {
    if (event instanceof OrgCreated e) {
      return new OrgBook(e.profile(), e.limits(), keys, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof LimitsChanged e) {
      return new OrgBook(profile, e.limits(), keys, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof KeyIssued e) {
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(e.key().id(), e.key());
      return new OrgBook(profile, limits, next, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof KeyRevoked e) {
      ApiKey key = keys.get(e.keyId());
      if (key == null || key.revoked()) {
        return this;
      }
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(key.id(), key.revokedAt(e.atMillis()));
      return new OrgBook(profile, limits, next, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof UsageRecorded e) {
      return withUsage(e, trackedCap);
    } else if (event instanceof ReservationsAbandoned e) {
      return withAbandoned(e, trackedCap);
    } else if (event instanceof PriceOverrideSet e) {
      return withPricing(pricing.with(e.override()));
    } else if (event instanceof PriceOverrideRemoved e) {
      return withPricing(pricing.without(e.model()));
    } else if (event instanceof UnpricedModelsSet e) {
      return withPricing(pricing.with(e.policy()));
    } else if (event instanceof OrgEvent.TimeZoneSet e) {
      return new OrgBook(profile.withTimeZone(e.timeZone()), limits, keys, month, settled, pricing, rules, scopes, plan, lastUsed,
          alerts, policies);
    } else if (event instanceof ScopeLimitsSet e) {
      return withRules(rules.with(ScopeKey.parse(e.scope()), e.limits()));
    } else if (event instanceof ScopeLimitsRemoved e) {
      return withRules(rules.without(ScopeKey.parse(e.scope())));
    } else if (event instanceof KeyLimitsSet e) {
      ApiKey key = keys.get(e.keyId());
      if (key == null) {
        return this;
      }
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(key.id(), key.withLimits(e.limits()));
      return new OrgBook(profile, limits, next, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof OrgEvent.PlanApplied e) {
      return new OrgBook(profile, limits, keys, month, settled, pricing, rules, scopes, e.plan(), lastUsed, alerts, policies);
    } else if (event instanceof OrgEvent.OrgDisabled e) {
      return profile.disabled() ? this : withProfile(profile.disabledAt(e.atMillis()));
    } else if (event instanceof OrgEvent.OrgEnabled e) {
      return withProfile(profile.disabledAt(null));
    } else if (event instanceof OrgEvent.BudgetEnforcementSet e) {
      return withProfile(profile.withStopStreams(e.stopStreams()));
    } else if (event instanceof OrgEvent.MarkupSet e) {
      return withProfile(profile.withMarkup(e.markupPpm()));
    } else if (event instanceof OrgEvent.KeyRotated e) {
      ApiKey key = keys.get(e.keyId());
      if (key == null) {
        return this;
      }
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(key.id(), key.rotated(e.secretHash(), e.previousUntilMillis()));
      return new OrgBook(profile, limits, next, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
    } else if (event instanceof OrgEvent.WebhookAdded e) {
      return withAlerts(alerts.with(e.webhook()));
    } else if (event instanceof OrgEvent.WebhookRemoved e) {
      return withAlerts(alerts.without(e.webhookId()));
    } else if (event instanceof OrgEvent.PolicySet e) {
      return new OrgBook(profile, limits, keys, month, settled, pricing, rules, scopes, plan, lastUsed, alerts,
          policies.with(e.keyId(), e.policy()));
    } else if (event instanceof OrgEvent.AlertsConfigured e) {
      return withAlerts(alerts.with(e.policy()));
    } else if (event instanceof OrgEvent.AnomaliesDetected e) {
      return withAlerts(alerts.detected(e.anomalies()));
    } else if (event instanceof OrgEvent.BlockLifted e) {
      return withAlerts(alerts.lifted(e.scope()));
    } else if (event instanceof RequestsDenied || event instanceof OrgEvent.SessionClosed
        || event instanceof OrgEvent.OutcomeReported || event instanceof OrgEvent.OutcomeReviewed
        || event instanceof OrgEvent.AdminAudited
        || event instanceof OrgEvent.WebhookTested || event instanceof OrgEvent.BudgetThresholdsCrossed
        || event instanceof OrgEvent.LimitsCrossed || event instanceof OrgEvent.RateLimitsHit) {
      return this; // kept in the journal for the read models; changes no counter
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  private OrgBook withProfile(OrgProfile next) {
    return new OrgBook(next, limits, keys, month, settled, pricing, rules, scopes, plan, lastUsed, alerts, policies);
  }

  private OrgBook withAlerts(OrgAlerts next) {
    return new OrgBook(profile, limits, keys, month, settled, pricing, rules, scopes, plan, lastUsed, next, policies);
  }

  private OrgBook withRules(ScopeLimits next) {
    return new OrgBook(profile, limits, keys, month, settled, pricing, next, scopes, plan, lastUsed, alerts, policies);
  }

  private OrgBook withPricing(OrgPricing next) {
    return new OrgBook(profile, limits, keys, month, settled, next, rules, scopes, plan, lastUsed, alerts, policies);
  }

  private OrgBook withUsage(UsageRecorded e, int trackedCap) {
    MonthTotals m = month;
    Periods periods = periods();
    List<ReservationId> ids = new ArrayList<>(e.records().size());
    List<ScopeTallies.Count> counts = new ArrayList<>(e.records().size() * 4);
    Map<String, Long> used = new HashMap<>(lastUsed);
    Tally org = orgTally();
    Limits orgLimits = orgLimits();
    for (UsageRecord r : e.records()) {
      if (r.keyId() != null) {
        used.merge(r.keyId(), r.admittedAtMillis(), Math::max);
      }
      m = m.plus(org.monthOf(periods, r.admittedAtMillis()), r);
      count(counts, orgLimits, r.keyId(), r.attribution(), r.model(), r.admittedAtMillis(), r.served() ? 1 : 0,
          r.tokens().total(), r.costNanos());
      ids.add(r.reservation());
    }
    return new OrgBook(profile, limits, keys, m, settled.with(ids, e.atMillis()), pricing, rules,
        scopes.plus(counts, periods, e.atMillis(), trackedCap), plan, used,
        profile == null ? alerts : alerts.observed(ScopeKey.org(profile.id()).id(), e.records(), e.atMillis()), policies);
  }

  private OrgBook withAbandoned(ReservationsAbandoned e, int trackedCap) {
    MonthTotals m = month;
    Periods periods = periods();
    List<ReservationId> ids = new ArrayList<>(e.reservations().size());
    List<ScopeTallies.Count> counts = new ArrayList<>(e.reservations().size() * 4);
    Tally org = orgTally();
    Limits orgLimits = orgLimits();
    for (AbandonedReservation r : e.reservations()) {
      m = m.plusAbandoned(org.monthOf(periods, r.admittedAtMillis()), r.reservedCostNanos());
      count(counts, orgLimits, r.keyId(), r.attribution(), r.model(), r.admittedAtMillis(), 1, r.reservedTokens(),
          r.reservedCostNanos());
      ids.add(r.reservation());
    }
    return new OrgBook(profile, limits, keys, m, settled.with(ids, e.atMillis()), pricing, rules,
        scopes.plus(counts, periods, e.atMillis(), trackedCap), plan, lastUsed, alerts, policies);
  }

  private Tally orgTally() {
    return profile == null ? Tally.EMPTY : scopes.of(ScopeKey.org(profile.id()).id());
  }

  /** One request in every scope it counts in, and in each of their model patterns its model matches. */
  private void count(List<ScopeTallies.Count> counts, Limits orgLimits, String keyId, Attribution attribution,
      String model, long at, long requests, long tokens, long cost) {
    if (profile == null) {
      return;
    }
    Attribution bound = RequestScopes.bound(keyId == null ? null : keys.get(keyId), attribution);
    for (ScopeKey scope : RequestScopes.of(profile.id(), keyId, bound)) {
      Limits limits = scope.scope() == Scope.ORG ? orgLimits : limitsOf(scope);
      counts.add(new ScopeTallies.Count(scope.id(), patterns(limits, model), at, requests, tokens, cost));
    }
  }

  /** The model patterns of these limits that {@code model} matches. */
  public static List<String> patterns(Limits limits, String model) {
    if (limits == null || limits.models().isEmpty() || model == null) {
      return List.of();
    }
    List<String> matched = new ArrayList<>(1);
    for (String pattern : limits.models().keySet()) {
      if (Limits.matches(pattern, model)) {
        matched.add(pattern);
      }
    }
    return matched;
  }
}
