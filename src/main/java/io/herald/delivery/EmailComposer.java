package io.herald.delivery;

import io.herald.store.StoredMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares the exchange for camel-mail: only the mail headers survive, HTML with a plain-text alternative
 * becomes multipart/alternative, and an unsubscribe URL becomes a List-Unsubscribe header.
 */
public class EmailComposer {
    private final String defaultFrom;

    public EmailComposer(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    public void compose(StoredMessage message, Exchange exchange) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader("To", message.recipient());
        out.setHeader("From", message.from() != null && !message.from().isBlank() ? message.from() : defaultFrom);
        if (message.replyTo() != null && !message.replyTo().isBlank()) {
            out.setHeader("Reply-To", message.replyTo());
        }
        out.setHeader("Subject", message.subject() == null ? "" : message.subject());
        if (message.unsubscribeUrl() != null && !message.unsubscribeUrl().isBlank()) {
            out.setHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">");
        }
        out.setHeader("X-Herald-Message-Id", message.id());
        boolean hasHtml = message.html() != null && !message.html().isBlank();
        boolean hasText = message.text() != null && !message.text().isBlank();
        if (hasHtml) {
            out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
            out.setBody(message.html());
            if (hasText) {
                out.setHeader("CamelMailAlternativeBody", message.text());
            }
        } else {
            out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
            out.setBody(hasText ? message.text() : "");
        }
    }
}
