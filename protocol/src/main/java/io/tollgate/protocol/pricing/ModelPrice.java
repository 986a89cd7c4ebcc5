package io.tollgate.protocol.pricing;

/**
 * A model's prices, each a {@link Rate} in nano-USD per million tokens ($0.15 / Mtok = 150,000,000). A
 * missing cache rate means that class is billed at the input rate (a missing one-hour write rate, at the
 * cache-write rate); a missing reasoning rate, at the output rate; missing audio or image rates, at the
 * input or output rate. What a provider bills by the piece has rates per million pieces: {@code perImage},
 * {@code perSecond} (of audio), {@code perCharacter} (of text to speak); null where the model is not billed so.
 */
public record ModelPrice(Rate input, Rate output, Rate cacheRead, Rate cacheWrite, Rate cacheWrite1h, Rate reasoning,
    Rate audioInput, Rate audioOutput, Rate imageInput, Rate imageOutput, Rate perImage, Rate perSecond,
    Rate perCharacter) {

  public ModelPrice {
    if (input == null || output == null) {
      throw new IllegalArgumentException("a price needs input and output rates");
    }
  }

  /** Prices by the token only. */
  public ModelPrice(Rate input, Rate output, Rate cacheRead, Rate cacheWrite, Rate cacheWrite1h, Rate reasoning,
      Rate audioInput, Rate audioOutput, Rate imageInput, Rate imageOutput) {
    this(input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning, audioInput, audioOutput, imageInput, imageOutput,
        null, null, null);
  }

  /** Prices for text models: no audio or image rates of their own. */
  public ModelPrice(Rate input, Rate output, Rate cacheRead, Rate cacheWrite, Rate cacheWrite1h, Rate reasoning) {
    this(input, output, cacheRead, cacheWrite, cacheWrite1h, reasoning, null, null, null, null);
  }

  /** Flat prices without tiers; cache prices may be null. */
  public ModelPrice(long inputPerMtok, long outputPerMtok, Long cacheReadPerMtok, Long cacheWritePerMtok) {
    this(Rate.flat(inputPerMtok), Rate.flat(outputPerMtok), flatOrNull(cacheReadPerMtok), flatOrNull(cacheWritePerMtok),
        null, null);
  }

  public Rate cacheReadOrInput() {
    return cacheRead == null ? input : cacheRead;
  }

  public Rate cacheWriteOrInput() {
    return cacheWrite == null ? input : cacheWrite;
  }

  public Rate cacheWrite1hOrWrite() {
    return cacheWrite1h == null ? cacheWriteOrInput() : cacheWrite1h;
  }

  public Rate reasoningOrOutput() {
    return reasoning == null ? output : reasoning;
  }

  public Rate audioInputOrInput() {
    return audioInput == null ? input : audioInput;
  }

  public Rate audioOutputOrOutput() {
    return audioOutput == null ? output : audioOutput;
  }

  public Rate imageInputOrInput() {
    return imageInput == null ? input : imageInput;
  }

  public Rate imageOutputOrOutput() {
    return imageOutput == null ? output : imageOutput;
  }

  /** The rate of a class billed by the piece, or null when this model has none. */
  public Rate perPiece(Charge.TokenClass unit) {
    return switch (unit) {
      case IMAGE -> perImage;
      case AUDIO_SECOND -> perSecond;
      case CHARACTER -> perCharacter;
      default -> throw new IllegalArgumentException(unit + " is billed by the token");
    };
  }

  private static Rate flatOrNull(Long perMtok) {
    return perMtok == null ? null : Rate.flat(perMtok);
  }
}
