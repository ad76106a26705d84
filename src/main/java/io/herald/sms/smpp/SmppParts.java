package io.herald.sms.smpp;

import io.herald.store.GroupCommit;
import io.herald.store.Jdbc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The parts an SMS went out as over SMPP (table sms_part, V11): their SMSC message ids and receipt states. */
public class SmppParts {
    /** A stored part. */
    public record Part(String messageId, int index, int count, String upstream, String smscMessageId, String state) {
    }

    static final String ENROUTE = "ENROUTE";
    private static final String COLUMNS = "message_id, part_index, part_count, upstream, smsc_message_id, state";

    private final Jdbc jdbc;
    private final GroupCommit writes;

    public SmppParts(Jdbc jdbc, GroupCommit writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    /** A part the SMSC acknowledged (written in the delivery group commit before the next part goes). */
    void acknowledged(String messageId, int index, int count, String upstream, String smscMessageId) {
        writes.write(batch -> {
            batch.add("INSERT INTO sms_part (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", messageId, index,
                    count, upstream, smscMessageId, ENROUTE, Jdbc.now());
            return () -> null;
        });
    }

    /** The SMSC message ids of a message's acknowledged parts, by part index (those not to be sent again). */
    Map<Integer, String> acknowledged(String messageId) {
        Map<Integer, String> ids = new TreeMap<>();
        for (Part part : of(messageId)) {
            ids.put(part.index(), part.smscMessageId());
        }
        return ids;
    }

    public List<Part> of(String messageId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sms_part WHERE message_id = ? ORDER BY part_index", SmppParts::map,
                messageId);
    }

    Optional<Part> find(String upstream, String smscMessageId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM sms_part WHERE upstream = ? AND smsc_message_id = ?",
                SmppParts::map, upstream, smscMessageId);
    }

    /** A part's receipt state; a part already delivered or failed keeps its state. */
    void state(Part part, String state) {
        jdbc.update("UPDATE sms_part SET state = ?, updated_at = ? WHERE message_id = ? AND part_index = ?"
                        + " AND state NOT IN ('DELIVRD', 'UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED')", state, Jdbc.now(),
                part.messageId(), part.index());
    }

    private static Part map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Part(rs.getString("message_id"), rs.getInt("part_index"), rs.getInt("part_count"),
                rs.getString("upstream"), rs.getString("smsc_message_id"), rs.getString("state"));
    }
}
