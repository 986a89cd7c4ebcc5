package io.tollgate.protocol.org;

/** How far a subject's interval is above its baseline, in standard deviations (the meterr grades). */
public enum AnomalyGrade {
  LOW(2),
  MEDIUM(3),
  HIGH(5),
  CRITICAL(10);

  private final int sigmas;

  AnomalyGrade(int sigmas) {
    this.sigmas = sigmas;
  }

  public int sigmas() {
    return sigmas;
  }
}
