package io.herald.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What reached the SMTP server and the SMS provider, counted per recipient; and counts from Herald's database. */
final class Deliveries {
    private Deliveries() {
    }

    static int received(GreenMail smtp, List<JsonNode> smsRequests) {
        return (smtp == null ? 0 : smtp.getReceivedMessages().length) + smsRequests.size();
    }

    /** How often each recipient was sent to: email addresses as given, SMS numbers as E.164 with '+'. */
    static Map<String, Integer> perRecipient(GreenMail smtp, List<JsonNode> smsRequests) throws MessagingException {
        Map<String, Integer> counts = new HashMap<>();
        for (MimeMessage mail : smtp == null ? new MimeMessage[0] : smtp.getReceivedMessages()) {
            Address[] to = mail.getRecipients(jakarta.mail.Message.RecipientType.TO);
            for (Address address : to) {
                counts.merge(((InternetAddress) address).getAddress(), 1, Integer::sum);
            }
        }
        for (JsonNode request : smsRequests) {
            counts.merge("+" + request.get("to").asText(), 1, Integer::sum);
        }
        return counts;
    }

    static int duplicates(Map<String, Integer> perRecipient) {
        return perRecipient.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
    }

    static long count(String jdbcUrl, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of a query, for diagnostics. */
    static List<List<Object>> rows(String jdbcUrl, String sql) {
        List<List<Object>> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Object> row = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Delivered (sent or final) messages by the instance that claimed them last. */
    static Map<String, Long> deliveredByInstance(String jdbcUrl) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement("SELECT claimed_by, COUNT(*) FROM message"
                     + " WHERE status IN ('SENT', 'DELIVERED') GROUP BY claimed_by ORDER BY claimed_by");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
