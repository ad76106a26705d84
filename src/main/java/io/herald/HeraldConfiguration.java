package io.herald;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.api.AdminApi;
import io.herald.api.CampaignApi;
import io.herald.api.CoSenderDialect;
import io.herald.api.MessageApi;
import io.herald.api.UnmatchedRequests;
import io.herald.api.cosmos.CosmosDialect;
import io.herald.api.cosmos.CosmosModule;
import io.herald.api.messaging.MessagingApiModule;
import io.herald.bootstrap.DemoAccount;
import io.herald.callbacks.CallbackAddressPolicy;
import io.herald.callbacks.CallbackPlanner;
import io.herald.callbacks.CallbacksModule;
import io.herald.crm.CrmRepository;
import io.herald.bootstrap.StartupGuard;
import io.herald.delivery.DeliveryClaims;
import io.herald.delivery.DeliveryLoader;
import io.herald.delivery.EmailComposer;
import io.herald.delivery.RetryPolicy;
import io.herald.delivery.SandboxTransport;
import io.herald.delivery.SmsProviderClient;
import io.herald.console.ConsoleModule;
import io.herald.edge.EdgeModule;
import io.herald.pipeline.CampaignResolver;
import io.herald.pipeline.MessageRenderer;
import io.herald.pipeline.MessageStore;
import io.herald.pipeline.MessageWriter;
import io.herald.pipeline.RecipientValidator;
import io.herald.pipeline.SpoolExpansion;
import io.herald.queue.KafkaTopics;
import io.herald.retention.Retention;
import io.herald.security.AdminAuthenticator;
import io.herald.security.ApiKeyAuthenticator;
import io.herald.security.SecretFiles;
import io.herald.sms.SmsModule;
import io.herald.sms.routing.SmsRouting;
import io.herald.status.MessageMetrics;
import io.herald.status.ProviderReports;
import io.herald.status.StatusRecorder;
import io.herald.store.AccountCache;
import io.herald.store.AccountRepository;
import io.herald.store.ApiKeyCache;
import io.herald.store.ApiKeyRepository;
import io.herald.store.CacheSettings;
import io.herald.store.CampaignCache;
import io.herald.store.CampaignRepository;
import io.herald.store.Database;
import io.herald.store.DatabaseHealthCheck;
import io.herald.store.GroupCommit;
import io.herald.store.Jdbc;
import io.herald.store.MessageClaims;
import io.herald.store.DispatchRepository;
import io.herald.store.MessageRepository;
import io.herald.store.MessageSpool;
import io.herald.store.QueueRepository;
import io.herald.store.StatementCounter;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Wires Herald's beans from configuration. The routes in {@code routes/} refer to them by the names bound here.
 */
@Configuration
public class HeraldConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        SecretFiles.check(System.getenv(), System.getProperties().stringPropertyNames().stream()
                .collect(java.util.stream.Collectors.toMap(k -> k, System::getProperty)));
        String adminToken = StartupGuard.check(settings);

        String webhookToken = StartupGuard.webhookToken(settings).orElse(null);
        HikariDataSource pool = Database.open(settings.required("herald.db.url"), settings.text("herald.db.user"),
                settings.text("herald.db.password"), settings.integer("herald.db.pool-size"));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                pool.close();
            }
        }, true, true);
        StatementCounter dataSource = new StatementCounter(pool);

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new DatabaseHealthCheck(dataSource));
        }

        Jdbc jdbc = new Jdbc(dataSource);
        // the group commits (README "Hot path"): one writer for accepted requests and, unless herald.db.group-commit.writers
        // is 1, another for delivery claims and outcomes
        int maxUnits = settings.integer("herald.db.group-commit.max-units");
        GroupCommit writes = new GroupCommit("accept", dataSource, maxUnits).writingFile();
        context.addService(writes, true, true);
        GroupCommit deliveryWrites = settings.integer("herald.db.group-commit.writers") == 1 ? writes
                : new GroupCommit("delivery", dataSource, maxUnits).lingering(Duration.ofMillis(
                        settings.longValue("herald.db.group-commit.delivery-linger-ms")));
        if (deliveryWrites != writes) {
            context.addService(deliveryWrites, true, true);
        }
        GroupCommit[] writers = deliveryWrites == writes ? new GroupCommit[] {writes} : new GroupCommit[] {writes, deliveryWrites};
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.bySql().stream().limit(40).forEach(line -> org.slf4j.LoggerFactory.getLogger(StatementCounter.class)
                        .info("statements: {}", line));
            }
        }, true, true);
        AccountRepository accounts = new AccountRepository(jdbc);
        ApiKeyRepository keys = new ApiKeyRepository(jdbc);
        CampaignRepository campaigns = new CampaignRepository(jdbc);
        MessageRepository messages = new MessageRepository(jdbc);
        DispatchRepository dispatches = new DispatchRepository(jdbc);
        CrmRepository crm = new CrmRepository(jdbc);
        CacheSettings cacheSettings = new CacheSettings(settings.duration("herald.cache.ttl"),
                settings.longValue("herald.cache.max-entries"));
        Core.Caches caches = new Core.Caches(new ApiKeyCache(keys, cacheSettings), new AccountCache(jdbc, cacheSettings),
                new CampaignCache(campaigns, cacheSettings));
        MessageMetrics metrics = new MessageMetrics(context);
        var webhookAuthenticator = new io.herald.security.WebhookToken(webhookToken, metrics);
        context.addStartupListener((started, alreadyStarted) -> metrics.database(dataSource, writers));
        Core core = new Core(context, settings, jdbc, accounts, keys, campaigns, messages, dispatches, crm, metrics,
                caches);

        // the modules each concern builds, in the order they need each other: SMS number state and prices, the
        // COSMOS dialect, the callbacks; then the core pipeline takes what they hand back
        CallbackAddressPolicy callbackPolicy = new CallbackAddressPolicy(settings.flag("herald.callbacks.allow-private"));
        SmsModule sms = SmsModule.bind(core, CosmosDialect.NAME);
        CosmosModule cosmos = CosmosModule.bind(core, sms.prices(), callbackPolicy);
        CallbackPlanner callbacks = CallbacksModule.bind(core, callbackPolicy, cosmos.messages(),
                cosmos.campaigns()::isCosmosCampaign, sms.prices());
        StatusRecorder statusRecorder = new StatusRecorder(messages, deliveryWrites, metrics, callbacks);
        io.herald.sms.smpp.SmppModule.bind(core, deliveryWrites);
        AdminApi adminApi = new AdminApi(accounts, keys, caches.keys());
        KafkaTopics.ensure(settings);
        DeliveryClaims claims = deliveryClaims(context, settings, jdbc, deliveryWrites);
        // an in-memory delivery queue is this instance's own: what it accepts, it claims for delivery with the insert
        boolean kafkaQueue = "kafka".equals(settings.text("herald.queue"));
        Duration lease = settings.duration("herald.delivery.lease");

        Registry registry = context.getRegistry();
        registry.bind("dataSource", dataSource);
        registry.bind("messageRepository", messages);
        registry.bind("dispatchRepository", dispatches);
        ApiKeyAuthenticator apiKeys = new ApiKeyAuthenticator(caches.keys());
        registry.bind("apiKeyAuthenticator", apiKeys);
        registry.bind("adminAuthenticator", new AdminAuthenticator(adminToken));
        registry.bind("adminApi", adminApi);
        registry.bind("campaignApi", new CampaignApi(campaigns, caches.campaigns()));
        registry.bind("messageApi", new MessageApi(messages));
        registry.bind("coSenderDialect", new CoSenderDialect());
        registry.bind("campaignResolver",
                new CampaignResolver(caches.campaigns(), caches.accounts(), settings.text("herald.sms.allowed-countries")));
        registry.bind("recipientValidator", new RecipientValidator(sms.screen()));
        registry.bind("messageRenderer", new MessageRenderer());
        MessageSpool spool = new MessageSpool(jdbc);
        MessageWriter writer = new MessageWriter(messages, crm, Map.of(CosmosDialect.NAME, cosmos.messages()));
        registry.bind("messageStore", new MessageStore(jdbc, dispatches, writer, writes, spool, accounts, metrics,
                kafkaQueue ? null : new MessageStore.ClaimOnInsert(claims.instanceId(), lease)));
        registry.bind("spoolExpansion", new SpoolExpansion(jdbc, spool, settings.duration("herald.spool.lease"), writer,
                metrics));
        registry.bind("statusRecorder", statusRecorder);
        registry.bind("providerReports", new ProviderReports(messages));
        registry.bind("webhookToken", webhookAuthenticator);
        registry.bind("deliveryClaims", claims);
        registry.bind("queueFeeder", new io.herald.delivery.QueueFeeder(new QueueRepository(jdbc, dispatches), dispatches,
                settings.integer("herald.feed.batch-size"),
                settings.duration("herald.feed.sweep-after")));
        registry.bind("deliveryLoader", new DeliveryLoader(messages, claims, settings.get("herald.smtp.host").orElse(null),
                kafkaQueue, lease.dividedBy(2)));
        registry.bind("retryPolicy", new RetryPolicy(settings.duration("herald.retry.give-up-after"),
                messages));
        registry.bind("emailComposer", new EmailComposer(settings.text("herald.smtp.default-from")));
        registry.bind("smsProviderClient", new SmsProviderClient(settings.required("herald.public-url"), webhookAuthenticator,
                statusRecorder));
        SmsRouting.bind(core, statusRecorder);
        registry.bind("sandboxTransport", new SandboxTransport(statusRecorder));
        registry.bind("retention", new Retention(dataSource, settings.required("herald.retention.message-content"),
                settings.required("herald.retention.messages"), settings.integer("herald.retention.batch-size"),
                settings.required("herald.callbacks.give-up-after")));
        registry.bind("demoAccount", new DemoAccount(accounts, caches.keys(), campaigns, adminApi, settings));
        configureSmtp(context, settings);
        context.addStartupListener(new UnmatchedRequests());
        context.addStartupListener(new io.herald.docs.ApiDocs(settings.required("herald.public-url")));

        MessagingApiModule.bind(core);
        EdgeModule.bind(core);
        io.herald.observe.ObserveModule.bind(core, pool);
        io.herald.api.ListsModule.bind(core, adminApi);
        ConsoleModule.bind(core, apiKeys, adminToken);
    }

    /** Delivery claims of this instance (herald.instance.id, default host name plus a random suffix); see README "Production". */
    private static DeliveryClaims deliveryClaims(CamelContext context, Settings settings, Jdbc jdbc, GroupCommit writes)
            throws Exception {
        String instanceId = settings.get("herald.instance.id").orElseGet(() -> {
            String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("herald");
            return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        });
        DeliveryClaims claims = new DeliveryClaims(new MessageClaims(jdbc), writes, instanceId,
                settings.duration("herald.delivery.lease"),
                settings.millis("herald.retry.initial-delay-ms"),
                settings.millis("herald.retry.max-delay-ms"),
                settings.integer("herald.delivery.due-batch"));
        claims.setCamelContext(context);
        context.addService(claims, true, true);
        return claims;
    }

    /**
     * SMTP credentials and STARTTLS go on the component, so the route's endpoint URI stays free of secrets. Its mails go
     * over a pool of reused connections per relay (herald.smtp.pool-size;
     * herald.smtp.idle-timeout-ms) instead of a connection per mail.
     */
    private static void configureSmtp(CamelContext context, Settings settings) throws Exception {
        int poolSize = settings.integer("herald.smtp.pool-size");
        io.herald.delivery.SmtpRelayPools pools = new io.herald.delivery.SmtpRelayPools(context, poolSize,
                settings.millis("herald.smtp.idle-timeout-ms"));
        context.addService(pools, true, true);
        MailComponent smtp = context.getComponent("smtp", MailComponent.class);
        smtp.setConfiguration(pools.mailConfiguration());
        settings.get("herald.smtp.username").ifPresent(smtp.getConfiguration()::setUsername);
        settings.get("herald.smtp.password").ifPresent(smtp.getConfiguration()::setPassword);
        if (settings.flag("herald.smtp.starttls")) {
            java.util.Properties props = new java.util.Properties();
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            smtp.getConfiguration().setAdditionalJavaMailProperties(props);
        }
        smtp.getConfiguration().setConnectionTimeout(settings.integer("herald.smtp.timeout-ms"));
    }
}
