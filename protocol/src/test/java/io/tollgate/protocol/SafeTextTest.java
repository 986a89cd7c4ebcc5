package io.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {
  @Test
  void safeTextIsReturnedAsItIs() {
    String text = "gpt-4o-mini 東京 😀 é";
    assertTrue(SafeText.isSafe(text));
    assertSame(text, SafeText.clean(text));
    assertTrue(SafeText.isSafe(null));
  }

  @Test
  void unpairedSurrogatesAndControlsAreReplaced() {
    assertEquals("u\uFFFD", SafeText.clean("u\ud800"));
    assertEquals("\uFFFDx", SafeText.clean("\udc00x"));
    assertEquals("a\uFFFDb", SafeText.clean("a\u0000b"));
    assertEquals("line\uFFFDfake=1", SafeText.clean("line\nfake=1"));
    assertEquals("\uFFFD[31mred", SafeText.clean("\u001b[31mred"));
    assertEquals("c1\uFFFD", SafeText.clean("c1\u0085"));
    assertFalse(SafeText.isSafe("u\ud800"));
    assertFalse(SafeText.isSafe("tab\there"));
  }

  @Test
  void cleanTextEncodesAsUtf8AndJson() throws Exception {
    String cleaned = SafeText.clean("\ud83d\ude00 ok \ud83d end \ude00");
    assertEquals("\ud83d\ude00 ok \uFFFD end \uFFFD", cleaned);
    assertEquals(cleaned, new String(cleaned.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    new ObjectMapper().getFactory().createGenerator(new java.io.ByteArrayOutputStream()).writeString(cleaned);
  }

  @Test
  void cuttingNeverSplitsAPair() {
    assertEquals("ab", SafeText.clean("ab\ud83d\ude00", 3));
    assertEquals("ab\ud83d\ude00", SafeText.clean("ab\ud83d\ude00", 4));
    assertEquals("abc", SafeText.clean("abcdef", 3));
  }
}
