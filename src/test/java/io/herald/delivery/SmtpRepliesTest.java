package io.herald.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressSucceededException;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classification of failures as Jakarta Mail reports them when one transaction has several recipients, which
 * Herald's own mails never have (one message, one recipient, one transaction): the end-to-end cases are in
 * {@link SmtpRelayRepliesTest}.
 */
class SmtpRepliesTest {

    @Test
    void aRecipientRefusedForNowMakesTheMailTransientEvenWhenAnotherIsRefusedForGood() throws Exception {
        RuntimeException outcome = SmtpReplies.outcome(invalidAddresses(
                refused("gone@example.com", 550, "550 5.1.1 no such user"),
                refused("greylisted@example.com", 451, "451 4.7.1 greylisted")));

        assertThat(outcome).isInstanceOf(TransientDeliveryException.class).hasMessageContaining("451 4.7.1 greylisted");
    }

    @Test
    void everyRecipientRefusedForGoodIsPermanentWithTheFirstReply() throws Exception {
        RuntimeException outcome = SmtpReplies.outcome(invalidAddresses(
                refused("gone@example.com", 550, "550 5.1.1 no such user"),
                refused("moved@example.com", 551, "551 5.1.6 user has moved")));

        assertThat(outcome).isInstanceOf(PermanentDeliveryException.class)
                .hasMessage("SMTP relay answered 550 5.1.1 no such user (RCPT TO)");
    }

    @Test
    void acceptedRecipientsReportedWithReportSuccessAreNotFailures() throws Exception {
        MessagingException accepted = new SMTPAddressSucceededException(
                new InternetAddress("fine@example.com"), "RCPT TO:<fine@example.com>", 250, "250 2.1.5 ok");
        RuntimeException outcome = SmtpReplies.outcome(invalidAddresses(accepted,
                refused("gone@example.com", 550, "550 5.1.1 no such user")));

        assertThat(outcome).isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("550 5.1.1 no such user");
    }

    @Test
    void anIoFailureIsTransientWhateverReplyCameBefore() throws Exception {
        MessagingException failure = invalidAddresses(refused("gone@example.com", 550, "550 5.1.1 no such user"));
        failure.setNextException(new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out")));

        assertThat(SmtpReplies.outcome(failure)).isInstanceOf(TransientDeliveryException.class);
    }

    @Test
    void aReasonIsOneBoundedLine() {
        assertThat(SmtpReplies.sanitised("554-5.7.1 rejected\r\n554 5.7.1 see\tpolicy\n"))
                .isEqualTo("554-5.7.1 rejected 554 5.7.1 see policy");
        assertThat(SmtpReplies.sanitised("x".repeat(1000))).hasSize(SmtpReplies.MAX_REASON_LENGTH).endsWith("…");
    }

    private static MessagingException refused(String address, int code, String reply) throws Exception {
        return new SMTPAddressFailedException(new InternetAddress(address), "RCPT TO:<" + address + ">", code, reply);
    }

    /** As Angus Mail reports refused recipients: one exception per recipient, chained after "Invalid Addresses". */
    private static MessagingException invalidAddresses(MessagingException... perRecipient) {
        SendFailedException failure = new SendFailedException("Invalid Addresses");
        MessagingException last = failure;
        for (MessagingException e : perRecipient) {
            last.setNextException(e);
            last = e;
        }
        return failure;
    }
}
