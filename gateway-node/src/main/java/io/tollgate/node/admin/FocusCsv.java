package io.tollgate.node.admin;

import io.tollgate.persistence.query.Invoice;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.OrgProfile;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * An invoice as a FOCUS 1.2 cost and usage dataset (CSV), so FinOps tools read Tollgate as they read a cloud
 * bill: the 21 mandatory columns, then the usage columns that fit tokens, then Tollgate's own ({@code x_}).
 * One row per invoice line; rounding and markup are {@code Adjustment} rows. Costs are in USD; a row's
 * billed, effective, list and contracted costs are equal (Tollgate applies no discounts).
 */
final class FocusCsv {
  static final List<String> COLUMNS = List.of("BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
      "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
      "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
      "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
      "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "ListUnitPrice", "SkuId",
      "SubAccountId", "SubAccountName", "x_TokenClass", "x_PriceSource");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private FocusCsv() {}

  static String of(OrgProfile org, Invoice invoice) {
    String start = invoice.month().atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    String end = invoice.month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
    for (Invoice.Line l : invoice.lines()) {
      boolean usage = l.tokens() != null;
      String unit = usage ? InvoiceCsv.unit(l.tokenClass()) : "";
      String units = unit.isEmpty() ? "" : Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
      String cost = Money.formatUsd(l.amountNanos());
      String unitPrice = usage ? Money.formatUsd(l.ratePerMtok()) : "";
      List<String> row = new ArrayList<>(List.of(cost, org.id(), InvoiceCsv.text(org.name()), "USD", end, start,
          usage ? "Usage" : "Adjustment", "",
          !usage ? "Rounding to whole nano-USD per request" : unit.equals("tokens")
              ? InvoiceCsv.text(l.model()) + " " + l.tokenClass() + " tokens" : InvoiceCsv.text(l.model()) + " " + unit,
          end, start, cost, cost, "Tollgate", cost,
          usage ? new BigDecimal(l.tokens()).divide(MILLION).stripTrailingZeros().toPlainString() : "",
          usage ? "1M " + units : "", InvoiceCsv.text(l.provider()), InvoiceCsv.text(l.provider()),
          "AI and Machine Learning", InvoiceCsv.text(l.model()),
          usage ? "Usage-Based" : "One-Time", usage ? l.tokens().toString() : "", units, unitPrice,
          unitPrice, usage ? InvoiceCsv.text(l.provider() + "/" + l.model() + "/" + l.tokenClass()) : "",
          InvoiceCsv.text(l.customer()), InvoiceCsv.text(l.customer()), l.tokenClass(),
          InvoiceCsv.text(l.priceSource())));
      InvoiceCsv.row(csv, row);
    }
    if (invoice.markupNanos() != 0) {
      String cost = Money.formatUsd(invoice.markupNanos());
      InvoiceCsv.row(csv, List.of(cost, org.id(), InvoiceCsv.text(org.name()), "USD", end, start, "Adjustment", "",
          "Markup " + AdminJson.percent(invoice.markupPpm()) + "%", end, start, cost, cost, "Tollgate", cost, "", "",
          "Tollgate", "Tollgate", "AI and Machine Learning", "Tollgate", "One-Time", "", "", "", "", "", "", "",
          "markup", ""));
    }
    return csv.toString();
  }
}
