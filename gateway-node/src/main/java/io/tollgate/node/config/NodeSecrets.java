package io.tollgate.node.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token and key pepper: from the environment when set, else generated once and kept in the data
 * folder (readable by its owner only) so a single node keeps them across restarts.
 */
public final class NodeSecrets {
  private NodeSecrets() {}

  /** Settings with both secrets filled in; {@code adminTokenFromDataDir} tells the caller it may print the token. */
  public record Resolved(NodeSettings settings, boolean adminTokenFromDataDir) {}

  public static Resolved resolve(NodeSettings settings) {
    boolean fromDir = settings.adminToken() == null;
    String token = fromDir ? readOrCreate(settings.dataDir().resolve("admin-token")) : settings.adminToken();
    String pepper = settings.keyPepper() == null ? readOrCreate(settings.dataDir().resolve("key-pepper")) : settings.keyPepper();
    return new Resolved(settings.withSecrets(token, pepper), fromDir);
  }

  private static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(file.getParent());
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String secret = HexFormat.of().formatHex(random);
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on non-POSIX file systems
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep secrets in " + file.getParent() + ": " + e.getMessage(), e);
    }
  }
}
