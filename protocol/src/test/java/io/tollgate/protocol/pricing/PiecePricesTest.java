package io.tollgate.protocol.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.protocol.pricing.Charge.TokenClass;
import io.tollgate.protocol.usage.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What providers bill by the piece, from the bundled catalog: images at their published price per image (LiteLLM
 * keeps a price per pixel), Whisper by the second, speech by the character; and batches at half the rate.
 */
class PiecePricesTest {
  private static final PricingCatalog CATALOG = PricingCatalog.bundled();

  private static long perImage(String name) {
    return CATALOG.priceOf("openai", name).orElseThrow(() -> new AssertionError(name)).perImage().max();
  }

  private static long usd(String amount) {
    return new java.math.BigDecimal(amount).movePointRight(9).longValueExact();
  }

  @Test
  void imagesCostTheirPublishedPricePerImage() {
    // Rates are per million images: $0.04 an image is $40,000 per million, 4e13 nano-USD.
    assertEquals(usd("0.040") * 1_000_000, perImage("standard/1024-x-1024/dall-e-3"));
    assertEquals(usd("0.080") * 1_000_000, perImage("standard/1024-x-1792/dall-e-3"));
    assertEquals(usd("0.120") * 1_000_000, perImage("hd/1792-x-1024/dall-e-3"));
    assertEquals(usd("0.016") * 1_000_000, perImage("256-x-256/dall-e-2"));
    assertEquals(usd("0.018") * 1_000_000, perImage("512-x-512/dall-e-2"));
    assertEquals(usd("0.020") * 1_000_000, perImage("1024-x-1024/dall-e-2"));
    assertEquals(usd("0.167") * 1_000_000, perImage("high/1024-x-1024/gpt-image-1"));
    assertEquals(usd("0.011") * 1_000_000, perImage("low/1024-x-1024/gpt-image-1"));
  }

  @Test
  void twoHdImagesCostTwiceOne() {
    ModelPrice hd = CATALOG.priceOf("openai", "hd/1024-x-1792/dall-e-3").orElseThrow();
    List<Charge> charges = Cost.charges(TokenUsage.ZERO, new Units(TokenClass.IMAGE, 2, null), hd);
    assertEquals(List.of(new Charge(TokenClass.IMAGE, 2, usd("0.12") * 1_000_000)), charges);
    assertEquals(usd("0.24"), Cost.of(charges));
  }

  @Test
  void whisperIsBilledBySecondAndSpeechByCharacter() {
    ModelPrice whisper = CATALOG.priceOf("openai", "whisper-1").orElseThrow();
    assertEquals(usd("0.006"), Cost.of(Cost.charges(TokenUsage.ZERO, new Units(TokenClass.AUDIO_SECOND, 60, null),
        whisper)), "$0.006 a minute");
    ModelPrice tts = CATALOG.priceOf("openai", "tts-1").orElseThrow();
    assertEquals(usd("0.015"), Cost.of(Cost.charges(TokenUsage.ZERO, new Units(TokenClass.CHARACTER, 1000, null), tts)),
        "$15 per million characters");
    assertNull(tts.perImage());
  }

  @Test
  void piecesWithoutARateAddNothingAndTokenModelsHaveNone() {
    ModelPrice mini = CATALOG.priceOf("openai", "gpt-4o-mini").orElseThrow();
    assertNull(mini.perCharacter());
    assertEquals(Cost.charges(TokenUsage.of(10, 5), mini),
        Cost.charges(TokenUsage.of(10, 5), new Units(TokenClass.CHARACTER, 100, null), mini));
  }

  @Test
  void theHoldForPiecesIsTheirMostAndNoneWithoutARate() {
    ModelPrice hd = CATALOG.priceOf("openai", "hd/1024-x-1792/dall-e-3").orElseThrow();
    assertEquals(usd("1.20"), Cost.upperBound(new Units(TokenClass.IMAGE, 10, null), hd));
    assertEquals(0, Cost.upperBound(new Units(TokenClass.IMAGE, 10, null), CATALOG.priceOf("openai", "tts-1").orElseThrow()));
  }

  @Test
  void theBatchRateIsHalfOfEachTermRoundedUp() {
    List<Charge> full = List.of(new Charge(TokenClass.INPUT, 1000, 150_000_000), new Charge(TokenClass.OUTPUT, 7, 601));
    assertEquals(List.of(new Charge(TokenClass.INPUT, 1000, 75_000_000), new Charge(TokenClass.OUTPUT, 7, 301)),
        Cost.atBatchRate(full));
  }
}
