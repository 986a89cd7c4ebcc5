package io.tollgate.protocol.pricing;

import io.tollgate.protocol.pricing.Charge.TokenClass;

/**
 * What a call used that its provider bills by the piece rather than by the token: images, seconds of audio,
 * characters of text to speak.
 *
 * @param unit {@link TokenClass#IMAGE}, {@link TokenClass#AUDIO_SECOND} or {@link TokenClass#CHARACTER}
 * @param pricedAs the catalog name the piece's price is under when it is not the model's own: the size and
 *     quality of an image ({@code hd/1024-x-1792/dall-e-3}); null for the model's
 */
public record Units(TokenClass unit, long quantity, String pricedAs) {
  public Units {
    if (!unit.byThePiece()) {
      throw new IllegalArgumentException(unit + " is billed by the token");
    }
    if (quantity < 0) {
      throw new IllegalArgumentException("a quantity cannot be negative");
    }
  }

  /** The same pieces, their price found under {@code name}. */
  public Units pricedAs(String name) {
    return new Units(unit, quantity, name);
  }
}
