package io.tollgate.node.admin;

import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;

import io.tollgate.persistence.query.Invoice;
import io.tollgate.persistence.query.InvoiceQuery;
import io.tollgate.protocol.org.OrgProfile;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/orgs/{org}/invoice} (JSON or CSV) and {@code /admin/orgs/{org}/export/focus} (FOCUS 1.2 CSV): an
 * org's month from the invoice tables, with its markup. Parsing and rendering only.
 */
public final class InvoiceRoutes {
  private static final Set<String> PARAMS = Set.of("month", "customer", "format");
  private static final Set<String> FOCUS_PARAMS = Set.of("month", "customer");
  private static final ContentType.WithCharset CSV = ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8);

  private final OrgReads reads;
  private final InvoiceQuery invoices;
  private final Clock clock;

  public InvoiceRoutes(OrgAdmin admin, InvoiceQuery invoices, Executor blocking, Clock clock) {
    this.reads = new OrgReads(admin, blocking);
    this.invoices = invoices;
    this.clock = clock;
  }

  Route invoice(String orgId) {
    return pathEnd(() -> get(() -> QueryParams.parsed(PARAMS, params -> {
      YearMonth month = month(params);
      String customer = params.get("customer");
      boolean csv = "csv".equals(RecordFilters.oneOf(params, "format", List.of("json", "csv")));
      return () -> respond(orgId, month, customer, (profile, invoice) -> csv
          ? csv(InvoiceCsv.invoice(invoice), "invoice-" + orgId + "-" + month + ".csv")
          : AdminRoutes.jsonResponse(StatusCodes.OK, InvoiceCsv.json(orgId, customer, invoice)));
    })));
  }

  Route focus(String orgId) {
    return pathEnd(() -> get(() -> QueryParams.parsed(FOCUS_PARAMS, params -> {
      YearMonth month = month(params);
      String customer = params.get("customer");
      return () -> respond(orgId, month, customer, (profile, invoice) ->
          csv(FocusCsv.of(profile, invoice), "focus-" + orgId + "-" + month + ".csv"));
    })));
  }

  /** The org's profile (its name and markup), then its invoice read off the actor threads, rendered. */
  private Route respond(String orgId, YearMonth month, String customer,
      BiFunction<OrgProfile, Invoice, HttpResponse> render) {
    return reads.answer(orgId, profile -> render.apply(profile,
        invoices.invoice(orgId, month, customer, profile.markupPpm())));
  }

  /** {@code ?month=2026-11}, by default the month in progress (UTC). */
  private YearMonth month(Map<String, String> params) {
    String month = params.get("month");
    if (month == null) {
      return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }
    try {
      return YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("'month' must be a month as YYYY-MM, such as 2026-11, not '" + month + "'.");
    }
  }

  private static HttpResponse csv(String body, String filename) {
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .addHeader(RawHeader.create("Content-Disposition", "attachment; filename=\"" + filename + "\""))
        .withEntity(HttpEntities.create(CSV, body));
  }
}
