package io.tollgate.persistence;

/** The database could not be started or reached; the message says why and what to do. */
public final class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
