package io.tollgate.persistence.query;

import java.math.BigInteger;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An org's invoice for a UTC month: a line per customer, provider, model, token class, rate and price source
 * (tokens × rate, rounded half up to the nano-USD), and per customer, provider and model a {@code rounding}
 * line for what the recorded costs, each rounded once per request, differ from those lines by. So the subtotal
 * is the sum of the recorded costs, to the nano-USD. A markup (millionths) is added to the subtotal only.
 */
public record Invoice(YearMonth month, List<Line> lines, long requests, long unpricedRequests, long subtotalNanos,
    Long markupPpm, long markupNanos, long totalNanos) {

  /** The line kind that reconciles the rounded lines with the recorded costs. */
  public static final String ROUNDING = "rounding";
  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  /**
   * One line; {@code tokens} and {@code ratePerMtok} are null on a rounding line.
   *
   * @param ratePerMtok nano-USD per million tokens
   */
  public record Line(String customer, String provider, String model, String tokenClass, BigInteger tokens,
      Long ratePerMtok, String priceSource, long amountNanos) {}

  /** The summed terms of one line, as stored. */
  public record Term(String customer, String provider, String model, String tokenClass, long ratePerMtok,
      String priceSource, BigInteger tokens, BigInteger amountNanoMtok) {}

  /** The recorded costs of one customer, provider and model. */
  public record Recorded(String customer, String provider, String model, long requests, long costNanos,
      long unpricedRequests) {}

  /** {@code terms} and {@code recorded} in the order to show (by customer, provider, model). */
  public static Invoice of(YearMonth month, List<Term> terms, List<Recorded> recorded, Long markupPpm) {
    Map<String, List<Line>> byGroup = new LinkedHashMap<>();
    for (Term t : terms) {
      long amount = roundHalfUp(t.amountNanoMtok(), MILLION);
      byGroup.computeIfAbsent(key(t.customer(), t.provider(), t.model()), k -> new ArrayList<>()).add(new Line(
          t.customer(), t.provider(), t.model(), t.tokenClass(), t.tokens(), t.ratePerMtok(), t.priceSource(), amount));
    }
    List<Line> lines = new ArrayList<>();
    long requests = 0;
    long unpriced = 0;
    long subtotal = 0;
    for (Recorded r : recorded) {
      List<Line> group = byGroup.getOrDefault(key(r.customer(), r.provider(), r.model()), List.of());
      lines.addAll(group);
      long itemized = group.stream().mapToLong(Line::amountNanos).sum();
      if (r.costNanos() != itemized) {
        lines.add(new Line(r.customer(), r.provider(), r.model(), ROUNDING, null, null, null, r.costNanos() - itemized));
      }
      requests += r.requests();
      unpriced += r.unpricedRequests();
      subtotal += r.costNanos();
    }
    long markup = markupPpm == null ? 0 : roundHalfUp(BigInteger.valueOf(subtotal).multiply(BigInteger.valueOf(markupPpm)),
        MILLION);
    return new Invoice(month, lines, requests, unpriced, subtotal, markupPpm, markup, subtotal + markup);
  }

  private static String key(String customer, String provider, String model) {
    return customer + '\n' + provider + '\n' + model;
  }

  private static long roundHalfUp(BigInteger value, BigInteger divisor) {
    BigInteger[] qr = value.divideAndRemainder(divisor);
    BigInteger q = qr[0];
    if (qr[1].shiftLeft(1).compareTo(divisor) >= 0) {
      q = q.add(BigInteger.ONE);
    }
    return q.longValueExact();
  }
}
