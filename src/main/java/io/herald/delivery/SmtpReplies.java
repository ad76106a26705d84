package io.herald.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a failed SMTP send means for its message, decided like the SMS provider's answers ({@link SmsProviderClient}):
 * a 4xx reply at any stage (greeting, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, end of data), a connection that could not
 * be opened, timed out or broke, and any failure without a reply, are transient and retried, and so is 552 at RCPT TO
 * (RFC 5321 has it read as temporary); any other 5xx reply is permanent, and its text, on one line and bounded, is the
 * reason the message FAILED.
 * <p>
 * Jakarta Mail reports each refused recipient in the failure's chain with its own reply (with {@code
 * mail.smtp.sendpartial} unset, as here, nothing is sent when one is refused). Herald sends each message in a
 * transaction of its own with its one recipient, so that recipient's reply decides its message; were there several,
 * the mail is retried when any of them was refused for now, and FAILED only when every one was refused for good.
 * Successes that {@code mail.smtp.reportsuccess} would add to the chain are not failures and are skipped.
 */
final class SmtpReplies {
    /** Angus Mail's reply code for a connection that ended where a reply was due. */
    static final int END_OF_STREAM = -1;
    /** A reason longer than this is cut: a relay's reply is free text, and it is stored with every attempt. */
    static final int MAX_REASON_LENGTH = 300;
    private static final int MAX_CHAIN = 10;

    /** One reply of the relay found in a failure: the command it answered, its code and its text. */
    record Reply(String stage, int code, String text) {
        /**
         * A 5xx, but for 552 at RCPT TO: RFC 5321 (4.5.3.1.10) has clients treat that "too many recipients / storage
         * exceeded" as temporary, as Jakarta Mail does (a recipient refused for now).
         */
        boolean permanent() {
            return code >= 500 && code <= 599 && !(code == 552 && "RCPT TO".equalsIgnoreCase(stage));
        }

        String describe() {
            String said = code == END_OF_STREAM ? "closed the connection" : "answered " + sanitised(text);
            return "SMTP relay " + said + " (" + stage + ")";
        }
    }

    private SmtpReplies() {
    }

    /** A failed send on an open connection, as the exception the delivery route's error handler classifies. */
    static RuntimeException outcome(MessagingException failure) {
        return outcome(failure, replies(failure));
    }

    /**
     * Opening a connection failed. Jakarta Mail reports a refused greeting, EHLO/HELO, STARTTLS or AUTH without its
     * reply code, which the transport still holds; a failure after a successful reply (STARTTLS required but not
     * offered) has no refusal to classify and is transient.
     */
    static RuntimeException connectOutcome(MessagingException failure, Transport transport) {
        List<Reply> replies = replies(failure);
        if (replies.isEmpty() && transport instanceof SMTPTransport smtp && smtp.getLastReturnCode() >= 400) {
            replies = List.of(new Reply("connection set-up", smtp.getLastReturnCode(), smtp.getLastServerResponse()));
        }
        return outcome(failure, replies);
    }

    private static RuntimeException outcome(MessagingException failure, List<Reply> replies) {
        Optional<Throwable> broken = chain(failure).stream().filter(t -> t instanceof IOException).findFirst();
        if (broken.isPresent()) {
            Throwable io = broken.get();
            return new TransientDeliveryException("SMTP connection failed: "
                    + sanitised(failure.getMessage() + " (" + io.getClass().getSimpleName() + ": " + io.getMessage() + ")"));
        }
        if (replies.isEmpty()) {
            return new TransientDeliveryException("SMTP failed without a refusal from the relay: "
                    + sanitised(failure.getMessage()));
        }
        for (Reply reply : replies) {
            if (!reply.permanent()) {
                return new TransientDeliveryException(reply.describe());
            }
        }
        return new PermanentDeliveryException(replies.get(0).describe());
    }

    /** The relay's failure replies in the chain, in order; recipients' successes are not among them. */
    static List<Reply> replies(MessagingException failure) {
        List<Reply> replies = new ArrayList<>();
        chain(failure).forEach(t -> {
            if (t instanceof SMTPAddressFailedException e) {
                replies.add(new Reply(stage(e.getCommand()), e.getReturnCode(), e.getMessage()));
            } else if (t instanceof SMTPSenderFailedException e) {
                replies.add(new Reply(stage(e.getCommand()), e.getReturnCode(), e.getMessage()));
            } else if (t instanceof SMTPSendFailedException e) {
                replies.add(new Reply(stage(e.getCommand()), e.getReturnCode(), e.getMessage()));
            }
        });
        return replies;
    }

    /** An I/O failure anywhere in the chain: connection refused, timed out, reset or closed. */
    static boolean brokenConnection(MessagingException failure) {
        return chain(failure).stream().anyMatch(t -> t instanceof IOException);
    }

    /** The failure, its nested exceptions (Jakarta Mail's next exception first) and causes. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Throwable t = failure;
        while (t != null && chain.size() < MAX_CHAIN && !chain.contains(t)) {
            chain.add(t);
            t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        }
        return chain;
    }

    /** The command's verb, without the addresses and parameters it carried. */
    private static String stage(String command) {
        if (command == null || command.isBlank()) {
            return "unknown command";
        }
        String verb = command.strip();
        if (verb.equals(".")) {
            return "end of data";
        }
        int colon = verb.indexOf(':');
        return colon > 0 ? verb.substring(0, colon) : verb;
    }

    /** On one line (no CR, LF or other control characters) and at most {@value #MAX_REASON_LENGTH} characters. */
    static String sanitised(String text) {
        if (text == null || text.isBlank()) {
            return "no reply text";
        }
        String flat = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return flat.length() <= MAX_REASON_LENGTH ? flat : flat.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
}
