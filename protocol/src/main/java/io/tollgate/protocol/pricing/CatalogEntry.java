package io.tollgate.protocol.pricing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * One model in a catalog: its canonical id, which names it answers to, and its prices over time (the last
 * price whose window contains the request's time applies).
 */
record CatalogEntry(String id, Predicate<String> names, List<Priced> prices) {

  /** A price and when it applies: from a date on, and/or within a daily UTC window (off-peak pricing). */
  record Priced(LocalDate from, LocalTime dailyStart, LocalTime dailyEnd, ModelPrice price) {
    static Priced always(ModelPrice price) {
      return new Priced(null, null, null, price);
    }

    boolean appliesAt(long epochMillis) {
      Instant at = Instant.ofEpochMilli(epochMillis);
      if (from != null && at.atOffset(ZoneOffset.UTC).toLocalDate().isBefore(from)) {
        return false;
      }
      if (dailyStart != null && dailyEnd != null) {
        LocalTime time = at.atOffset(ZoneOffset.UTC).toLocalTime();
        return dailyStart.isBefore(dailyEnd)
            ? !time.isBefore(dailyStart) && time.isBefore(dailyEnd)
            : !time.isBefore(dailyStart) || time.isBefore(dailyEnd);
      }
      return true;
    }
  }

  ModelPrice priceAt(long epochMillis) {
    ModelPrice applies = null;
    for (Priced p : prices) {
      if (p.appliesAt(epochMillis)) {
        applies = p.price();
      }
    }
    return applies;
  }

  /** The price at any time that could cost the most: for reservations. */
  ModelPrice dearest() {
    ModelPrice dearest = prices.get(0).price();
    for (Priced p : prices) {
      if (Cost.upperBound(1_000, 1_000, p.price()) > Cost.upperBound(1_000, 1_000, dearest)) {
        dearest = p.price();
      }
    }
    return dearest;
  }
}
