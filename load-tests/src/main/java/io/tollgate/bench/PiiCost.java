package io.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.pii.PiiScanner;

/**
 * What the PII policy costs per request, on one thread: the scan of a 2 KB prompt (with personal data in it,
 * and without), and the JSON read and write of its body that a redaction adds.
 * {@code java -cp simulator.jar io.tollgate.bench.PiiCost [seconds]}; see docs/benchmarks.md.
 */
public final class PiiCost {
  private static final String SENTENCE = "The quarterly report shows revenue grew 12.5% in every region while costs"
      + " held steady at $1,234,000 (Q3 2026, filed 2026-10-07), and the board asked for a summary of the risks. ";

  private PiiCost() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
    String clean = prompt("");
    String personal = prompt("Contact jane.doe@example.com or +44 20 7946 0958; card 4111 1111 1111 1111. ");
    byte[] body = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
        + Json.MAPPER.writeValueAsString(personal) + "}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.out.printf("prompt %d chars, body %d bytes%n", clean.length(), body.length);
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      report("scan, nothing to find", seconds, () -> PiiScanner.redact(clean, new PiiScanner.Found()).length());
      report("scan, 3 found", seconds, () -> PiiScanner.redact(personal, new PiiScanner.Found()).length());
      report("body read + written", seconds, () -> {
        JsonNode tree = Json.MAPPER.readTree(body);
        return Json.MAPPER.writeValueAsBytes(tree).length;
      });
    }
  }

  /** About 2 KB of text, {@code extra} in its middle. */
  private static String prompt(String extra) {
    StringBuilder text = new StringBuilder();
    while (text.length() < 1000) {
      text.append(SENTENCE);
    }
    text.append(extra);
    while (text.length() < 2048) {
      text.append(SENTENCE);
    }
    return text.substring(0, 2048);
  }

  private interface Work {
    int run() throws Exception;
  }

  private static void report(String what, long seconds, Work work) throws Exception {
    long sink = 0;
    long runs = 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        sink += work.run();
      }
      runs += 100;
    }
    double micros = (System.nanoTime() - start) / 1000.0 / runs;
    System.out.printf("%-22s %8.1f µs per prompt (%d runs, %d)%n", what, micros, runs, sink % 10);
  }
}
