package io.tollgate.protocol.usage;

/**
 * The tokens one request used, normalized across providers.
 *
 * <p>{@code input} counts every input-side token, cache reads and cache writes included; {@code output} counts
 * every output-side token, reasoning included. {@code cacheRead} and {@code cacheWrite} are subsets of input,
 * {@code cacheWrite1h} the subset of cache writes kept for an hour (Anthropic prices those higher),
 * {@code reasoning} a subset of output, or {@code null} where the provider does not break it out;
 * {@code media} the audio and image tokens within input and output, where the provider reports them.
 */
public record TokenUsage(
    long input, long output, long cacheRead, long cacheWrite, Long reasoning, long cacheWrite1h, Media media) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, null);
  /**
   * The most any one count is read as (a trillion tokens, about a million times a large answer): reported
   * counts are clamped here, so a request's totals and costs stay far inside {@code long}.
   */
  public static final long MAX_COUNT = 1_000_000_000_000L;

  /** Audio and image tokens: subsets of input and output that some models price apart from text. */
  public record Media(long audioInput, long audioOutput, long imageInput, long imageOutput) {
    public static final Media NONE = new Media(0, 0, 0, 0);

    public Media {
      if (audioInput < 0 || audioOutput < 0 || imageInput < 0 || imageOutput < 0) {
        throw new IllegalArgumentException("token counts cannot be negative");
      }
    }

    public boolean isNone() {
      return audioInput == 0 && audioOutput == 0 && imageInput == 0 && imageOutput == 0;
    }
  }

  public TokenUsage {
    if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWrite1h < 0
        || (reasoning != null && reasoning < 0)) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
    cacheWrite1h = Math.min(cacheWrite1h, cacheWrite);
    media = media == null ? Media.NONE : media; // also usage journaled before media was recorded
  }

  /** Usage without audio or image tokens. */
  public TokenUsage(long input, long output, long cacheRead, long cacheWrite, Long reasoning, long cacheWrite1h) {
    this(input, output, cacheRead, cacheWrite, reasoning, cacheWrite1h, Media.NONE);
  }

  public TokenUsage withMedia(Media media) {
    return new TokenUsage(input, output, cacheRead, cacheWrite, reasoning, cacheWrite1h, media);
  }

  /** Usage without one-hour cache writes (every provider but Anthropic). */
  public TokenUsage(long input, long output, long cacheRead, long cacheWrite, Long reasoning) {
    this(input, output, cacheRead, cacheWrite, reasoning, 0);
  }

  public static TokenUsage of(long input, long output) {
    return new TokenUsage(input, output, 0, 0, null);
  }

  /** Input tokens billed at the plain input price: neither read from nor written to a cache. */
  public long uncachedInput() {
    return Math.max(0, input - cacheRead - cacheWrite);
  }

  public long reasoningOrZero() {
    return reasoning == null ? 0 : reasoning;
  }

  /** These tokens and {@code other}'s, class by class (saturating, as no count can overflow). */
  public TokenUsage plus(TokenUsage other) {
    Long r = reasoning == null && other.reasoning == null ? null
        : io.tollgate.protocol.Saturating.add(reasoningOrZero(), other.reasoningOrZero());
    return new TokenUsage(add(input, other.input), add(output, other.output), add(cacheRead, other.cacheRead),
        add(cacheWrite, other.cacheWrite), r, add(cacheWrite1h, other.cacheWrite1h),
        new Media(add(media.audioInput(), other.media.audioInput()), add(media.audioOutput(), other.media.audioOutput()),
            add(media.imageInput(), other.media.imageInput()), add(media.imageOutput(), other.media.imageOutput())));
  }

  private static long add(long a, long b) {
    return io.tollgate.protocol.Saturating.add(a, b);
  }

  public long total() {
    return input + output;
  }
}
