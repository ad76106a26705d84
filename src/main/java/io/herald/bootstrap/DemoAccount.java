package io.herald.bootstrap;

import io.herald.Settings;
import io.herald.api.AdminApi;
import io.herald.security.Secrets;
import io.herald.store.Account;
import io.herald.store.AccountRepository;
import io.herald.store.ApiKeyCache;
import io.herald.store.Campaign;
import io.herald.store.CampaignRepository;
import io.herald.store.Channel;

import java.util.List;

/**
 * The embedded default's demo: an account with one active EMAIL and one active SMS campaign, and a sandbox key.
 * Keys are stored only as hashes, so each start issues a fresh demo key (revoking the previous one) and prints it.
 */
public class DemoAccount {
    private final AccountRepository accounts;
    private final ApiKeyCache keys;
    private final CampaignRepository campaigns;
    private final AdminApi adminApi;
    private final Settings settings;

    public DemoAccount(AccountRepository accounts, ApiKeyCache keys, CampaignRepository campaigns, AdminApi adminApi,
                       Settings settings) {
        this.accounts = accounts;
        this.keys = keys;
        this.campaigns = campaigns;
        this.adminApi = adminApi;
        this.settings = settings;
    }

    public void ensure() {
        if (!settings.flag("herald.demo.enabled")) {
            return;
        }
        Account account = accounts.findDemo().orElseGet(this::create);
        List<Campaign> demoCampaigns = campaigns.list(account.id());
        keys.revokeAll(account.id());
        String apiKey = (String) adminApi.issueKey(account.id(), true, null).get("apiKey");
        String url = settings.required("herald.public-url");
        String email = codeOf(demoCampaigns, Channel.EMAIL);
        String sms = codeOf(demoCampaigns, Channel.SMS);
        System.out.println("""

                [herald] Demo account ready (sandbox: messages are recorded, not sent).
                  API key (sandbox, new for this run): %s
                  EMAIL campaign code: %s
                  SMS campaign code:   %s
                  Try it:
                    curl -i -u 'api:%s' -H 'Content-Type: application/json' \\
                      -d '{"code":"%s","messages":[{"recipient":"jane@example.com","parameters":{"first_name":"Jane"}}]}' \\
                      %s/v1/messages
                  then: curl -u 'api:%s' %s/v1/messages/<messageId>
                """.formatted(apiKey, email, sms, apiKey, email, url, apiKey, url));
    }

    private static String codeOf(List<Campaign> campaigns, Channel channel) {
        return campaigns.stream().filter(c -> c.channel() == channel).map(Campaign::code).findFirst().orElse("?");
    }

    private Account create() {
        Account account = accounts.create("Demo", null, null, true);
        campaigns.create(new Campaign(0, account.id(), Secrets.base36(13), "Demo email", Channel.EMAIL, Campaign.ACTIVE,
                "demo@herald.local", "support@herald.local", "Hello %recipient.first_name%",
                "<p>Hi %recipient.first_name%, this is Herald.</p><p>${permission_reminder}</p>"
                        + "<p><a href=\"${unsubscribe}\">Unsubscribe</a> · ${company_address}</p>",
                "Hi %recipient.first_name%, this is Herald.\n${permission_reminder}\nUnsubscribe: ${unsubscribe}",
                "You receive this because you tried Herald.", "https://example.com/unsubscribe", "Herald, 1 Demo Street"));
        campaigns.create(new Campaign(0, account.id(), Secrets.base36(13), "Demo SMS", Channel.SMS, Campaign.ACTIVE,
                "Herald", null, null, null, "Hi %recipient.first_name%, your code is %recipient.code%.", null, null, null));
        return account;
    }
}
