package io.tollgate.node.admin;

import io.tollgate.persistence.query.SpendQuery;
import io.tollgate.persistence.query.SpendQuery.GroupBy;
import io.tollgate.persistence.query.SpendQuery.Spend;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** An org's spend from the read model: checks the org exists, then queries off the actor threads. */
public final class SpendReport {
  /** A year and a day: enough for any annual report, small enough to keep one query cheap. */
  static final long MAX_DAYS = 366;

  /** The days asked for (UTC, both ends included) and the grouping. */
  public record Range(LocalDate from, LocalDate to, GroupBy by) {}

  private final OrgAdmin admin;
  private final SpendQuery query;
  private final Executor blocking;
  private final Clock clock;

  public SpendReport(OrgAdmin admin, SpendQuery query, Executor blocking, Clock clock) {
    this.admin = admin;
    this.query = query;
    this.blocking = blocking;
    this.clock = clock;
  }

  /**
   * Reads {@code ?from=&to=&by=}: dates as YYYY-MM-DD, by default this month so far; {@code by} one of
   * {@link GroupBy}, by default {@code agent}.
   *
   * @throws InvalidRequestException with a message for the caller
   */
  public Range range(Optional<String> from, Optional<String> to, Optional<String> by) {
    Days days = days(from, to, clock);
    GroupBy groupBy = by.map(b -> GroupBy.of(b).orElseThrow(() -> new InvalidRequestException(
        "'by' must be one of day, key, agent, team, customer, user, provider, model."))).orElse(GroupBy.AGENT);
    return new Range(days.from(), days.to(), groupBy);
  }

  /** UTC days, both included. */
  record Days(LocalDate from, LocalDate to) {}

  /**
   * Reads {@code ?from=&to=} as UTC days (YYYY-MM-DD), by default this month so far, at most {@link #MAX_DAYS}.
   *
   * @throws InvalidRequestException with a message for the caller
   */
  static Days days(Optional<String> from, Optional<String> to, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate end = to.map(t -> date("to", t)).orElse(today);
    LocalDate start = from.map(f -> date("from", f)).orElse(end.withDayOfMonth(1));
    if (start.isAfter(end)) {
      throw new InvalidRequestException("'from' (" + start + ") is after 'to' (" + end + ").");
    }
    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
      throw new InvalidRequestException("At most " + MAX_DAYS + " days can be reported at once.");
    }
    return new Days(start, end);
  }

  /** Empty if the org does not exist. */
  public CompletionStage<Optional<Spend>> spend(String orgId, Range range) {
    return admin.describe(orgId).thenCompose(reply -> reply instanceof AdminReply.Rejected
        ? CompletableFuture.completedFuture(Optional.<Spend>empty())
        : CompletableFuture.supplyAsync(() -> Optional.of(read(orgId, range)), blocking));
  }

  private Spend read(String orgId, Range range) {
    try {
      return query.spend(orgId, range.from(), range.to(), range.by());
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("'" + name + "' must be a date as YYYY-MM-DD, not '" + value + "'.");
    }
  }
}
