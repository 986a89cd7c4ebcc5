package io.tollgate.persistence.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.persistence.query.Invoice.Line;
import io.tollgate.persistence.query.Invoice.Recorded;
import io.tollgate.persistence.query.Invoice.Term;
import java.math.BigInteger;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An invoice's arithmetic: lines rounded once each, a rounding line to the recorded costs, markup on the subtotal. */
class InvoiceTest {
  private static final YearMonth NOV = YearMonth.of(2026, 11);

  private static Term term(String customer, String tokenClass, long tokens, long rate) {
    return new Term(customer, "openai", "gpt-4o", tokenClass, rate, "catalog-v1", BigInteger.valueOf(tokens),
        BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(rate)));
  }

  @Test
  void theSubtotalIsTheRecordedCostsWithTheRoundingShownAndTheMarkupAddedOnTop() {
    // 1001 input tokens at $0.15/M = 150,150 nano; 3 output at $0.60/M = 1,800 nano; 7 more at $0.000125/M = 0.000875
    List<Term> terms = List.of(term("c-1", "input", 1001, 150_000_000L), term("c-1", "output", 3, 600_000_000L),
        term("c-1", "reasoning", 7, 125L));
    // the requests rounded their own costs: one more nano-USD than the lines
    List<Recorded> recorded = List.of(new Recorded("c-1", "openai", "gpt-4o", 3, 151_951, 0),
        new Recorded("c-2", "openai", "gpt-4o", 2, 40, 1)); // c-2: recorded before charges were kept
    Invoice invoice = Invoice.of(NOV, terms, recorded, 150_000L);

    assertEquals(List.of(150_150L, 1_800L, 0L, 1L, 40L), invoice.lines().stream().map(Line::amountNanos).toList());
    Line rounding = invoice.lines().get(3);
    assertEquals(Invoice.ROUNDING, rounding.tokenClass());
    assertNull(rounding.tokens());
    assertEquals("c-2", invoice.lines().get(4).customer());
    assertEquals(151_991, invoice.subtotalNanos(), "the recorded costs, exactly");
    assertEquals(invoice.subtotalNanos(), invoice.lines().stream().mapToLong(Line::amountNanos).sum());
    assertEquals(22_799, invoice.markupNanos(), "15 % of 151,991 is 22,798.65: rounded half up");
    assertEquals(151_991 + 22_799, invoice.totalNanos());
    assertEquals(5, invoice.requests());
    assertEquals(1, invoice.unpricedRequests());
  }

  @Test
  void withoutMarkupOrRoundingTheLinesAreTheInvoice() {
    Invoice invoice = Invoice.of(NOV, List.of(term("", "input", 1_000_000, 2_500_000_000L)),
        List.of(new Recorded("", "openai", "gpt-4o", 1, 2_500_000_000L, 0)), null);
    assertEquals(1, invoice.lines().size());
    assertEquals(0, invoice.markupNanos());
    assertEquals(2_500_000_000L, invoice.totalNanos());
  }
}
