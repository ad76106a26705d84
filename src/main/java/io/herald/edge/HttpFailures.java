package io.herald.edge;

import io.herald.api.ApiError;
import io.herald.api.ErrorFormat;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;

/**
 * Failures of the HTTP server itself, before any route runs, answer like the routes do: a form body that does not
 * decode, a form content type on a method without a body, a body over {@code herald.http.max-body-size}. They are the
 * client's mistakes: 4xx with the seed-001 error object (or a COSMOS status word: {@link ErrorFormat}), logged at DEBUG —
 * not the server's plain-text 400 or 500 and an ERROR with a stack trace per request. (A path with a broken
 * percent-escape fails in the server's outer router, which Camel does not expose: it stays a plain 400.) Form content
 * types are refused before the body is read ({@link FormsAndQueryParameters}); the form cases here are the fallback,
 * and a query string that does not decode fails there and is answered here.
 */
public class HttpFailures extends MainRouterHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFailures.class);
    private static final int FIRST = -1_000_000;
    private static final Set<HttpMethod> METHODS_WITH_FORMS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    @Override
    protected void install(VertxPlatformHttpRouter router) {
        // first of all failure handlers: failure routing matches the routes in order
        router.route().order(FIRST).failureHandler(this::answer);
    }

    private void answer(RoutingContext rc) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        int status = status(rc);
        if (status >= 500) {
            LOG.error("Internal error answering {} {}", rc.request().method(), rc.request().path(), rc.failure());
        } else {
            LOG.debug("Rejected {} {} at the HTTP server: {}", rc.request().method(), rc.request().path(), rc.failure() == null
                    ? status : rc.failure().toString());
        }
        if (rc.response().headWritten()) {
            rc.request().connection().close();
            return;
        }
        String body = ErrorFormat.of(rc.request().path()).body(status, error(status), message(status));
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** A request the server could not decode is 400; otherwise 404 and 413 as the server decided, other 4xx 400, else 500. */
    private static int status(RoutingContext rc) {
        Throwable failure = rc.failure();
        boolean formOnBodylessMethod = failure instanceof IllegalStateException && isForm(rc)
                && !METHODS_WITH_FORMS.contains(rc.request().method());
        boolean undecodable = failure instanceof IllegalArgumentException || failure instanceof DecoderException
                || failure instanceof HttpPostRequestDecoder.ErrorDataDecoderException
                || failure instanceof HttpPostRequestDecoder.TooLongFormFieldException
                || failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException;
        if (formOnBodylessMethod || undecodable) {
            return 400;
        }
        int status = rc.statusCode();
        if (status == 404 || status == 413) {
            return status;
        }
        return status >= 400 && status < 500 ? 400 : 500;
    }

    private static boolean isForm(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded");
    }

    private static ApiError error(int status) {
        return switch (status) {
            case 404 -> ApiError.NOT_FOUND;
            case 500 -> ApiError.INTERNAL;
            default -> ApiError.GENERAL;
        };
    }

    private static String message(int status) {
        return switch (status) {
            case 404 -> "Not found";
            case 413 -> "Request body is larger than the server accepts";
            case 500 -> ApiError.INTERNAL.message();
            default -> "Malformed HTTP request";
        };
    }

}
