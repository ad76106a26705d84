package io.herald.console;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, at /usr/bin) driven by Selenium,
 * for the console's browser tests. No Selenium Manager: the driver is named explicitly (the machine has no network).
 * Screenshots go to {@code target/console-screenshots/}.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;
    private final String base;

    ConsoleBrowser(String base, Path profile) {
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element's text contains the given text; answers the element. */
    WebElement awaitText(String css, String text) {
        await(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return driver.findElement(By.cssSelector(css));
    }

    <T> T await(Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition);
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        await(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Signs in through the form: kind "operator" or "tenant". */
    void signIn(String kind, String secret) {
        open("/console/");
        await(d -> d.findElement(By.id("signin-page")).isDisplayed() || d.findElement(By.id("signout")).isDisplayed());
        if (driver.findElement(By.id("signout")).isDisplayed()) {
            signOut();
        }
        click("#signin-" + kind);
        type("#signin-secret", secret);
        click("#signin-submit");
        // signed in, or refused
        await(d -> d.findElement(By.id("signout")).isDisplayed() || !d.findElement(By.id("signin-error")).getText().isEmpty());
    }

    void signOut() {
        click("#signout");
        find("#signin-page");
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
