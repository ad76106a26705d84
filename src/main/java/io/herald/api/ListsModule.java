package io.herald.api;

import io.herald.Core;
import io.herald.store.DispatchSearch;
import io.herald.store.MessageSearch;

/** The list and search endpoints (docs/lists.md, routes/lists.camel.yaml): binds their beans. */
public final class ListsModule {
    private ListsModule() {
    }

    public static void bind(Core core, AdminApi admin) {
        var registry = core.context().getRegistry();
        var settings = core.settings();
        ListQuery.Limits limits = new ListQuery.Limits(settings.integer("herald.api.page.default-limit"),
                settings.integer("herald.api.page.max-limit"));
        registry.bind("accountsApi", new AccountsApi(core.accounts(), core.keys(), admin, core.caches().accounts(),
                core.caches().keys(), limits));
        registry.bind("tenantListsApi", new TenantListsApi(core.campaigns(), new MessageSearch(core.jdbc()),
                new DispatchSearch(core.jdbc()), limits));
        registry.bind("campaignPreviewApi", new CampaignPreviewApi(core.campaigns()));
    }
}
