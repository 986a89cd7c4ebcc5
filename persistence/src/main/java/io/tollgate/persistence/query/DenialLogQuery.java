package io.tollgate.persistence.query;

import io.tollgate.persistence.query.LogFilter.Cursor;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** An org's refused requests from the denial log, newest first, a page at a time. Blocking. */
public final class DenialLogQuery {
  /** One refusal as logged. */
  public record LoggedDenial(String requestId, long atMillis, String keyId, String provider, String model, String reason,
      int status, String scope, String limit, String agent, String session, String customer, String team, String user,
      Map<String, String> tags) {}

  /**
   * A page of refusals, the cursor of the next (null on the last), and how many refusals the org counted but
   * could not keep in detail on the days the filter's time range touches (all days without one).
   */
  public record Page(List<LoggedDenial> denials, Cursor next, long dropped) {}

  private static final String COLUMNS = "request_id, at, key_id, provider, model, reason, status, scope, limit_name,"
      + " agent, session, customer, team, user_id, tags::text";

  private final DataSource pool;

  public DenialLogQuery(DataSource pool) {
    this.pool = pool;
  }

  public Page list(String orgId, LogFilter filter, int limit, Cursor after) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM denial_log WHERE org_id = ?");
    List<Object> args = new ArrayList<>(List.of(orgId));
    filter.where(sql, args, "at", "request_id", after);
    sql.append(" ORDER BY at DESC, request_id DESC LIMIT ?");
    args.add(limit + 1);
    long dropped = dropped(orgId, filter);
    return Rows.page(Rows.read(pool, sql.toString(), args, DenialLogQuery::row), limit,
        last -> new Cursor(last.atMillis(), last.requestId()), (rows, next) -> new Page(rows, next, dropped));
  }

  private long dropped(String orgId, LogFilter filter) throws SQLException {
    LocalDate from = filter.from() == null ? LocalDate.MIN : LocalDate.ofInstant(filter.from(), ZoneOffset.UTC);
    LocalDate to = filter.to() == null ? LocalDate.MAX : LocalDate.ofInstant(filter.to().minusMillis(1), ZoneOffset.UTC);
    return Rows.read(pool, "SELECT coalesce(sum(dropped), 0) FROM denial_log_dropped WHERE org_id = ?"
            + " AND day BETWEEN ? AND ?", List.of(orgId, Date.valueOf(clamp(from)), Date.valueOf(clamp(to))),
        rs -> rs.getLong(1)).get(0);
  }

  /** Within what a SQL date holds. */
  private static LocalDate clamp(LocalDate day) {
    return day.getYear() < 1 ? LocalDate.of(1, 1, 1) : day.getYear() > 9999 ? LocalDate.of(9999, 12, 31) : day;
  }

  private static LoggedDenial row(ResultSet rs) throws SQLException {
    int i = 1;
    return new LoggedDenial(rs.getString(i++), rs.getTimestamp(i++).getTime(), rs.getString(i++), rs.getString(i++),
        rs.getString(i++), rs.getString(i++), rs.getInt(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
        rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), Json.tags(rs.getString(i)));
  }
}
