package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import io.tollgate.protocol.org.OrgEvent.KeyIssued;
import io.tollgate.protocol.org.OrgEvent.KeyRevoked;
import io.tollgate.protocol.org.OrgEvent.LimitsChanged;
import io.tollgate.protocol.org.OrgEvent.OrgCreated;
import io.tollgate.protocol.org.OrgEvent.PriceOverrideRemoved;
import io.tollgate.protocol.org.OrgEvent.PriceOverrideSet;
import io.tollgate.protocol.org.OrgEvent.RequestsDenied;
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
 */
public record OrgBook(
    OrgProfile profile,
    Limits limits,
    Map<String, ApiKey> keys,
    MonthTotals month,
    MinuteTally minute,
    SettledReservations settled,
    OrgPricing pricing)
    implements CborSerializable {

  public static final OrgBook EMPTY = new OrgBook(
      null, Limits.UNLIMITED, Map.of(), MonthTotals.empty("0000-00"), MinuteTally.NONE, SettledReservations.EMPTY,
      OrgPricing.DEFAULT);

  public OrgBook {
    keys = Map.copyOf(keys);
    pricing = pricing == null ? OrgPricing.DEFAULT : pricing; // books snapshotted before pricing existed
  }

  public boolean exists() {
    return profile != null;
  }

  public OrgBook apply(OrgEvent event) {
    if (event instanceof OrgCreated e) {
      return new OrgBook(e.profile(), e.limits(), keys, month, minute, settled, pricing);
    } else if (event instanceof LimitsChanged e) {
      return new OrgBook(profile, e.limits(), keys, month, minute, settled, pricing);
    } else if (event instanceof KeyIssued e) {
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(e.key().id(), e.key());
      return new OrgBook(profile, limits, next, month, minute, settled, pricing);
    } else if (event instanceof KeyRevoked e) {
      ApiKey key = keys.get(e.keyId());
      if (key == null || key.revoked()) {
        return this;
      }
      Map<String, ApiKey> next = new HashMap<>(keys);
      next.put(key.id(), key.revokedAt(e.atMillis()));
      return new OrgBook(profile, limits, next, month, minute, settled, pricing);
    } else if (event instanceof UsageRecorded e) {
      return withUsage(e);
    } else if (event instanceof ReservationsAbandoned e) {
      return withAbandoned(e);
    } else if (event instanceof PriceOverrideSet e) {
      return withPricing(pricing.with(e.override()));
    } else if (event instanceof PriceOverrideRemoved e) {
      return withPricing(pricing.without(e.model()));
    } else if (event instanceof UnpricedModelsSet e) {
      return withPricing(pricing.with(e.policy()));
    } else if (event instanceof RequestsDenied) {
      return this; // kept in the journal for reporting; changes no counter
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  private OrgBook withPricing(OrgPricing next) {
    return new OrgBook(profile, limits, keys, month, minute, settled, next);
  }

  private OrgBook withUsage(UsageRecorded e) {
    MonthTotals m = month;
    MinuteTally t = minute;
    List<ReservationId> ids = new ArrayList<>(e.records().size());
    for (UsageRecord r : e.records()) {
      m = m.plus(UtcPeriods.monthOf(r.admittedAtMillis()), r);
      t = t.plus(UtcPeriods.minuteOf(r.admittedAtMillis()), r.tokens().total());
      ids.add(r.reservation());
    }
    return new OrgBook(profile, limits, keys, m, t, settled.with(ids, e.atMillis()), pricing);
  }

  private OrgBook withAbandoned(ReservationsAbandoned e) {
    MonthTotals m = month;
    List<ReservationId> ids = new ArrayList<>(e.reservations().size());
    for (AbandonedReservation r : e.reservations()) {
      m = m.plusAbandoned(UtcPeriods.monthOf(r.admittedAtMillis()), r.reservedCostNanos());
      ids.add(r.reservation());
    }
    return new OrgBook(profile, limits, keys, m, minute, settled.with(ids, e.atMillis()), pricing);
  }
}
