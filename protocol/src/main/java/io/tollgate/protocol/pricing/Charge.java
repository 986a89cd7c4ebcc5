package io.tollgate.protocol.pricing;

import io.tollgate.protocol.CborSerializable;
import java.util.Locale;

/**
 * One term of a request's cost: tokens of one class at one rate. A request's cost is the sum of its terms,
 * {@code tokens × ratePerMtok}, divided by a million and rounded half up once ({@link Cost#of}).
 *
 * @param ratePerMtok nano-USD per million tokens, the tier the request fell in
 */
public record Charge(TokenClass tokenClass, long tokens, long ratePerMtok) implements CborSerializable {
  /** The classes a price distinguishes, as an invoice names them. */
  public enum TokenClass {
    INPUT, AUDIO_INPUT, IMAGE_INPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H, OUTPUT, AUDIO_OUTPUT, IMAGE_OUTPUT,
    REASONING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
