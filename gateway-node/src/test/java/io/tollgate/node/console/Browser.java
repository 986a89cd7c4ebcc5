package io.tollgate.node.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven by its chromedriver, as {@code .ci/run} installs them. Where they are not
 * installed the browser tests are skipped, unless {@code -Dtollgate.browser-tests=required} (CI) makes that a failure.
 */
final class Browser {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  static ChromeDriver start() {
    return start(null);
  }

  /** A browser that saves what it downloads in {@code downloads} (null: its own default). */
  static ChromeDriver start(Path downloads) {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!installed && "required".equals(System.getProperty("tollgate.browser-tests"))) {
      throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install chromium chromium-driver");
    }
    Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed (apt-get install chromium "
        + "chromium-driver); .ci/run installs them");
    Path profile;
    try {
      profile = Files.createTempDirectory("tollgate-chromium");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        // This machine's network is closed: no background traffic, no component updates, no sync.
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,900", "--user-data-dir=" + profile);
    if (downloads != null) {
      options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
          "download.prompt_for_download", false));
    }
    ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build(), options);
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    return driver;
  }
}
