package io.tollgate.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogfmtConverterTest {
  private static String line(Object... keysAndValues) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("tollgate.access"), Level.INFO, "request", null, null);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      event.addKeyValuePair(new KeyValuePair((String) keysAndValues[i], keysAndValues[i + 1]));
    }
    return new LogfmtConverter().convert(event);
  }

  @Test
  void plainValuesAreWrittenAsTheyAre() {
    assertEquals("org=acme status=200 cost_usd=0.000001000 model=gpt-4o-mini", line("org", "acme", "status", 200,
        "cost_usd", "0.000001000", "model", "gpt-4o-mini"));
  }

  @Test
  void aValueCannotForgeALineAFieldOrATerminalColour() {
    String forged = line("agent", "x org=beta status=200", "model", "m\nINFO access request org=victim", "user",
        "\u001b[31mred", "team", "say \"hi\" \\ bye", "session", "", "customer", "u\ud800");
    assertEquals("agent=\"x org=beta status=200\" model=\"m\\nINFO access request org=victim\" user=\"\\u001b[31mred\""
        + " team=\"say \\\"hi\\\" \\\\ bye\" session=\"\" customer=\"u\\ud800\"", forged);
    assertFalse(forged.contains("\n"));
    assertEquals("model=\"東京 😀\"", line("model", "東京 😀"), "text that is printable stays readable");
  }
}
