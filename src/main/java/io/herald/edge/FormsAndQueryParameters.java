package io.herald.edge;

import io.herald.api.ApiError;
import io.herald.api.ErrorFormat;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Locale;

/**
 * Only HTTP headers become Camel message headers. platform-http also turns form fields and query parameters into
 * message headers, and Herald reads its credentials ({@code Authorization}), {@code Content-Type},
 * {@code Idempotency-Key} and path parameters from there: a form field {@code Authorization} would authenticate and a
 * field {@code code} would stand in for a path parameter. Every Herald endpoint takes JSON, so before any route (and
 * before the server decodes the body) a form content type ({@code application/x-www-form-urlencoded},
 * {@code multipart/*}) is answered 400 in the dialect's format — error object 1001, the code of a wrong Content-Type
 * (docs/contract.md#errors-and-edge-rules), or {@code {"status":"invalid_json"}} under the COSMOS and provider-callback
 * paths — and the decoded query parameters are dropped. (The list endpoints read their limit, cursor and filters from
 * the raw query string, {@code CamelHttpQuery}: {@link io.herald.api.ListQuery}.)
 */
public class FormsAndQueryParameters extends MainRouterHandlers {
    /**
     * Right after COSMOS's request guard (order -1000), whose 413 for a declared length comes first
     * (docs/contract.md#cosmos-sms).
     */
    private static final int ORDER = -999;

    @Override
    protected void install(VertxPlatformHttpRouter router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (isForm(rc.request().getHeader("Content-Type"))) {
            String body = ErrorFormat.of(rc.request().path()).body(400, ApiError.GENERAL,
                    "Content-Type must be application/json; form bodies are not accepted");
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(body);
            return;
        }
        // a query string that does not decode fails the request here: 400 through HttpFailures
        rc.queryParams().clear();
        rc.next();
    }

    static boolean isForm(String contentType) {
        String t = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("multipart/") || t.contains("multipart/form-data") || t.contains("application/x-www-form-urlencoded");
    }
}
