package io.tollgate.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A random secret kept in a file readable by its owner only: read if it is there, else made once. */
public final class Secret {
  private Secret() {}

  public static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    Path partial = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(partial, secret + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // best effort on non-POSIX file systems
    }
    Files.move(partial, file);
    return secret;
  }
}
