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

    @Test
    @Order(3)
    void aTenantSeesItsCampaignsMessagesDispatchesDeadLettersAndOutbox() {
        Tenant t = app.newTenant("{\"name\":\"Tenant One\"}", true);
        app.tenant("PUT", "/v1/webhook", t.apiKey(), "{\"url\":\"" + hooks.url() + "\"}").expect(200);
        JsonNode campaign = app.activeCampaign(t, "{\"name\":\"Welcome\",\"channel\":\"EMAIL\",\"from\":\"shop@example.com\","
                + "\"subject\":\"Hi %recipient.name%\",\"html\":\"<p>Hello <b>%recipient.name%</b></p>\","
                + "\"text\":\"Hello %recipient.name%\"}");
        String code = campaign.get("code").asText();
        String messageId = app.tenant("POST", "/v1/messages", t.apiKey(), "{\"code\":\"" + code
                + "\",\"messages\":[{\"recipient\":\"ana@example.com\",\"parameters\":{\"name\":\"Ana\"}}]}")
                .expect(200).json().at("/messages/0/messageId").asText();
        long dispatch = app.tenant("POST", "/api/SendMessages", t.apiKey(), "{\"templateId\":" + campaign.get("id").asLong()
                + ",\"recipients\":[{\"uniqueId\":\"1\",\"email\":\"bo@example.com\",\"payload\":{\"name\":\"Bo\"}},"
                + "{\"uniqueId\":\"2\",\"email\":\"cy@example.com\",\"payload\":{\"name\":\"Cy\"}}]}")
                .expect(200).json().get("dispatch").asLong();
        app.awaitStatus(t, messageId, "DELIVERED");

        browser.signIn("tenant", t.apiKey());
        // the CO-SENDER message and the dispatch's two, all delivered by the sandbox
        browser.awaitText("#counters [data-status='DELIVERED'] .value", "3");
        browser.screenshot("05-tenant-overview");

        browser.open("/console/#/campaigns");
        browser.awaitText("#campaigns-table", "Welcome");
        browser.screenshot("06-tenant-campaigns");
        browser.click("#campaigns-table tbody tr.clickable");
        browser.awaitText("#campaign-title", "Welcome");
        browser.type("#preview-params", "{\"name\":\"Maria\"}");
        browser.awaitText("#preview .rendered-text", "Hello Maria");
        assertThat(browser.find("#preview .rendered-subject").getText()).isEqualTo("Hi Maria");
        browser.screenshot("07-tenant-campaign-preview");

        browser.open("/console/#/messages");
        browser.awaitText("#messages-table", messageId);
        new org.openqa.selenium.support.ui.Select(browser.find("#filter-status")).selectByValue("FAILED");
        browser.click("#filter-submit");
        browser.awaitText("#messages-table", "Nothing to show.");
        new org.openqa.selenium.support.ui.Select(browser.find("#filter-status")).selectByValue("DELIVERED");
        browser.type("#filter-recipient", "ana@example.com");
        browser.click("#filter-submit");
        browser.awaitText("#messages-table", messageId);
        assertThat(browser.all("#messages-table tbody tr")).hasSize(1);
        browser.screenshot("08-tenant-messages");
        browser.click("#messages-table tbody tr.clickable");
        browser.awaitText("#timeline", "DELIVERED");
        assertThat(browser.all("#timeline .status").stream().map(e -> e.getText()).toList())
                .containsSubsequence("ACCEPTED", "SENT", "DELIVERED");
        browser.screenshot("09-tenant-message");

        browser.open("/console/#/dispatches");
        browser.awaitText("#dispatches-table", String.valueOf(dispatch));
        browser.screenshot("10-tenant-dispatches");

        JsonNode parked = awaitDeadLetter(t, messageId);
        Tenant other = app.newTenant("{\"name\":\"Someone else\"}", true);
        assertThat(app.tenant("GET", "/v1/callbacks/dead-letters", other.apiKey(), null).expect(200).json().get("deadLetters")).isEmpty();
        app.tenant("POST", "/v1/callbacks/dead-letters/" + parked.get("id").asText() + "/replay", other.apiKey(), null).expect(404);
        browser.open("/console/#/dead-letters");
        browser.awaitText("#dead-letters-table", messageId);
        browser.screenshot("11-tenant-dead-letters");
        int before = hooks.bodies.size();
        hooks.answer(200);
        browser.click(".replay[data-id='" + parked.get("id").asText() + "']");
        browser.awaitText("#dead-letters-message", "replayed");
        browser.await(d -> hooks.bodies.size() > before);
        assertThat(hooks.bodies.get(hooks.bodies.size() - 1)).contains(messageId);

        browser.open("/console/#/outbox");
        browser.awaitText("#outbox", "ana@example.com");
        assertThat(browser.find(".outbox-item[data-id='" + messageId + "'] .rendered-subject").getText()).isEqualTo("Hi Ana");
        browser.screenshot("12-tenant-outbox");
        browser.signOut();
    }

    private JsonNode awaitDeadLetter(Tenant t, String messageId) {
        for (int i = 0; i < 200; i++) {
            for (JsonNode d : app.tenant("GET", "/v1/callbacks/dead-letters", t.apiKey(), null).expect(200).json().get("deadLetters")) {
                if (messageId.equals(d.get("messageId").asText())) {
                    return d;
                }
            }
            HeraldApp.sleep(100);
        }
        throw new AssertionError("no dead letter for " + messageId);
    }

    @Test
    @Order(4)
    void campaignNamesWithMarkupAreShownAsTextAndNothingRuns() {
        Tenant t = app.newTenant("{\"name\":\"Probe\"}", true);
        String script = "<script>window.heraldXss = 1</script>";
        String img = "\"><img src=x onerror=\"window.heraldXss = 2\">";
        String htmlWithScript = "<p>Hi</p><script>parent.heraldXss = 3</script><img src=x onerror=\"parent.heraldXss = 4\">";
        for (String name : new String[] {script, img}) {
            app.tenant("POST", "/v1/campaigns", t.apiKey(), HeraldApp.JSON.createObjectNode().put("name", name)
                    .put("channel", "EMAIL").put("from", "a@example.com").put("subject", name).put("html", htmlWithScript)
                    .toString()).expect(201);
        }
        browser.signIn("tenant", t.apiKey());
        browser.open("/console/#/campaigns");
        browser.await(d -> browser.all(".campaign-name").size() == 2);
        assertThat(browser.all(".campaign-name").stream().map(e -> e.getText()).toList()).containsExactlyInAnyOrder(script, img);
        assertThat(browser.all("#page img")).isEmpty();
        assertThat(browser.all("#page script")).isEmpty();
        browser.screenshot("13-xss-probe-campaigns");
        browser.click("#campaigns-table tbody tr.clickable");
        browser.find("#preview iframe.rendered");
        assertThat(browser.find("#campaign-title").getText()).isIn(script, img);
        HeraldApp.sleep(500);
        assertThat(browser.script("return window.heraldXss === undefined")).isEqualTo(true);
        browser.screenshot("14-xss-probe-campaign");
        browser.signOut();
    }

    @Test
    @Order(5)
    void theCookieHoldsNoSecretAndWritesNeedTheCsrfTokenFromThisOrigin() {
        HeraldApp.Response refused = app.send("POST", "/console/session", "application/json",
                "{\"kind\":\"operator\",\"secret\":\"wrong\"}", Map.of()).expect(401);
        assertThat(refused.header("Set-Cookie")).isNull();
        HeraldApp.Response in = app.send("POST", "/console/session", "application/json",
                "{\"kind\":\"operator\",\"secret\":\"" + HeraldApp.ADMIN_TOKEN + "\"}", Map.of()).expect(200);
        String setCookie = in.header("Set-Cookie");
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure")
                .doesNotContain(HeraldApp.ADMIN_TOKEN);
        assertThat(in.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = in.json().get("csrf").asText();
        String body = "{\"name\":\"Forged\"}";
        app.send("POST", "/console/api/admin/accounts", "application/json", body, Map.of("Cookie", cookie)).expect(403);
        app.send("POST", "/console/api/admin/accounts", "application/json", body,
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf, "Origin", "http://evil.example")).expect(403);
        assertThat(app.admin("GET", "/admin/accounts?limit=200", null).expect(200).body()).doesNotContain("Forged");
        app.send("POST", "/console/api/admin/accounts", "application/json", body,
                Map.of("Cookie", cookie, "X-CSRF-Token", csrf, "Origin", app.url(""))).expect(201);
        // the operator's session reaches the operator API only
        app.send("GET", "/console/api/v1/campaigns", null, null, Map.of("Cookie", cookie)).expect(404);
        app.send("DELETE", "/console/session", null, null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf)).expect(204);
        app.send("GET", "/console/api/admin/accounts", null, null, Map.of("Cookie", cookie)).expect(401);
    }

    @Test
    @Order(6)
    void theApiDocsRenderInSwaggerUi() {
        browser.open("/docs");
        assertThat(browser.awaitText(".swagger-ui .info .title", "Herald messaging gateway").isDisplayed()).isTrue();
        browser.await(d -> browser.all(".opblock-summary-path[data-path='/v1/callbacks/dead-letters']").size() == 1);
        browser.screenshot("15-api-docs");
    }
}
