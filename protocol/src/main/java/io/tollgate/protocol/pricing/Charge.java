package io.tollgate.protocol.pricing;

import io.tollgate.protocol.CborSerializable;
import java.util.Locale;

/**
 * One term of a request's cost: tokens of one class (or pieces: images, seconds, characters) at one rate. A
 * request's cost is the sum of its terms, {@code tokens × ratePerMtok}, divided by a million and rounded half up
 * once ({@link Cost#of}).
 *
 * @param tokens how many tokens, or pieces of a class billed by the piece
 * @param ratePerMtok nano-USD per million tokens (or pieces), the tier the request fell in
 */
public record Charge(TokenClass tokenClass, long tokens, long ratePerMtok) implements CborSerializable {
  /** The classes a price distinguishes, as an invoice names them; the last three are billed by the piece. */
  public enum TokenClass {
    INPUT, AUDIO_INPUT, IMAGE_INPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H, OUTPUT, AUDIO_OUTPUT, IMAGE_OUTPUT,
    REASONING, IMAGE, AUDIO_SECOND, CHARACTER;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean byThePiece() {
      return this == IMAGE || this == AUDIO_SECOND || this == CHARACTER;
    }

    /** What the quantity of a term of this class counts: {@code tokens}, {@code images}, {@code seconds}, {@code characters}. */
    public String unit() {
      return switch (this) {
        case IMAGE -> "images";
        case AUDIO_SECOND -> "seconds";
        case CHARACTER -> "characters";
        default -> "tokens";
      };
    }

    /** The class an invoice line's label names. */
    public static TokenClass ofLabel(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }
}
