package io.tollgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.usage.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Loads provider samples from test resources and their expected, normalized usage. */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode expectation(String sample) {
    String base = sample.substring(0, sample.lastIndexOf('.'));
    try {
      return Json.MAPPER.readTree(bytes(base + ".expect.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The usage an expectation file names, or null when it says the sample carries none. */
  public static TokenUsage expectedUsage(JsonNode expect) {
    if (expect.path("usage_present").asBoolean(true) == false || expect.get("input_tokens").isNull()) {
      return null;
    }
    JsonNode reasoning = expect.get("reasoning_tokens");
    return new TokenUsage(
        expect.get("input_tokens").asLong(),
        expect.get("output_tokens").asLong(),
        expect.get("cache_read_tokens").asLong(),
        expect.get("cache_write_tokens").asLong(),
        reasoning == null || reasoning.isNull() ? null : reasoning.asLong());
  }

  /**
   * Every sample (not the expectations) as {@code <provider>/<name>}, sorted; read from the test resources
   * whether they are a folder or, for other modules' tests, inside this module's test jar.
   */
  public static java.util.List<String> samples() {
    try {
      java.net.URI uri = Fixtures.class.getResource("/fixtures").toURI();
      if (uri.getScheme().equals("jar")) {
        try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, java.util.Map.of())) {
          return list(jar.getPath("/fixtures"));
        }
      }
      return list(java.nio.file.Path.of(uri));
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot list the fixtures", e);
    }
  }

  private static java.util.List<String> list(java.nio.file.Path root) throws IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString())
          .filter(p -> (p.endsWith(".json") || p.endsWith(".sse")) && !p.endsWith(".expect.json"))
          .sorted().toList();
    }
  }

  /** Cuts bytes into random pieces of 1 to {@code maxPiece} bytes, as a network might deliver them. */
  public static List<byte[]> randomPieces(byte[] all, Random random, int maxPiece) {
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    while (at < all.length) {
      int n = Math.min(all.length - at, 1 + random.nextInt(maxPiece));
      byte[] piece = new byte[n];
      System.arraycopy(all, at, piece, 0, n);
      pieces.add(piece);
      at += n;
    }
    return pieces;
  }
}
