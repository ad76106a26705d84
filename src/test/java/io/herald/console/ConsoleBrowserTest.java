package io.herald.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.support.HeraldApp;
import io.herald.support.HeraldApp.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against the real application: sign-in (and a refused one), the
 * operator's accounts and keys, the tenant's pages, and an XSS probe. One browser and one Herald for the class; each
 * page leaves a screenshot in target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    @TempDir
    static Path data;
    @TempDir
    static Path profile;
    HeraldApp app;
    ConsoleBrowser browser;
    final HookReceiver hooks = new HookReceiver();

    @BeforeAll
    void start() throws Exception {
        assertThat(ConsoleBrowser.available()).as("headless Chromium: apt-get install -y chromium chromium-driver").isTrue();
        app = HeraldApp.start(data, Map.of(
                "herald.callbacks.allow-private", "true",
                "herald.callbacks.poll-interval-ms", "200",
                "herald.callbacks.give-up-after", "PT1S"));
        browser = new ConsoleBrowser(app.url(""), profile);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        hooks.close();
    }

    @Test
    @Order(1)
    void aWrongTokenOrKeyIsAnErrorAndNoSession() {
        browser.signIn("operator", "not-the-token");
        assertThat(browser.awaitText("#signin-error", "Wrong token or API key").getText()).isEqualTo("Wrong token or API key");
        browser.signIn("tenant", "key_00000000000000000000000000");
        browser.awaitText("#signin-error", "Wrong token or API key");
        assertThat(browser.driver.manage().getCookieNamed(ConsoleServer.COOKIE)).isNull();
        assertThat(browser.driver.findElement(org.openqa.selenium.By.id("page")).isDisplayed()).isFalse();
        browser.screenshot("01-sign-in");
    }

    @Test
    @Order(2)
    void theOperatorManagesAccountsAndKeys() {
        browser.signIn("operator", HeraldApp.ADMIN_TOKEN);
        browser.find("#account-create");
        browser.type("#account-name", "Acme Shop");
        browser.type("#account-limit", "5000");
        browser.type("#account-countries", "gr, cy");
        browser.click("#account-create-submit");
        String title = browser.awaitText("#account-title", "Acme Shop").getText();
        long accountId = Long.parseLong(title.replaceAll("^Account (\\d+):.*$", "$1"));
        JsonNode account = app.admin("GET", "/admin/accounts/" + accountId, null).expect(200).json();
        assertThat(account.get("messageLimit").asLong()).isEqualTo(5000);
        assertThat(account.get("allowedCountries").toString()).isEqualTo("[\"GR\",\"CY\"]");

        // a key: its secret is shown once, and it works
        browser.click("#key-create");
        String apiKey = browser.find("#new-key-value").getText();
        assertThat(apiKey).startsWith("key_");
        app.tenant("GET", "/v1/webhook", apiKey, null).expect(200);
        browser.find("#keys-table tbody tr .revoke-key");
        browser.screenshot("03-operator-account");
        browser.click("#new-key-done");
        browser.driver.navigate().refresh();
        browser.find("#keys-table");
        assertThat(browser.driver.getPageSource()).doesNotContain(apiKey.substring(4));

        // revoke: two clicks, then the key is refused
        browser.click(".revoke-key");
        browser.click(".revoke-key.danger");
        browser.await(d -> browser.all(".revoke-key").isEmpty());
        app.tenant("GET", "/v1/webhook", apiKey, null).expect(401);

        // edit and disable
        browser.type("#edit-name", "Acme Shop Ltd");
        browser.click("#edit-disabled");
        browser.click("#account-save");
        browser.awaitText("#account-edit-message", "Saved.");
        JsonNode edited = app.admin("GET", "/admin/accounts/" + accountId, null).expect(200).json();
        assertThat(edited.get("name").asText()).isEqualTo("Acme Shop Ltd");
        assertThat(edited.get("disabled").asBoolean()).isTrue();

        browser.open("/console/#/accounts");
        browser.awaitText("#accounts-table", "Acme Shop Ltd");
        browser.screenshot("02-operator-accounts");
        browser.open("/console/#/overview");
        browser.find("#throughput");
        browser.screenshot("04-operator-overview");
        browser.signOut();
        browser.open("/console/#/accounts");
        browser.find("#signin-page");
        assertThat(browser.driver.manage().getCookieNamed(ConsoleServer.COOKIE)).isNull();
    }
}
