package io.herald.api.messaging;

import io.herald.api.ApiError;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The Messaging API's date-times (docs/contract.md#messaging-api): {@code scheduleDate} in, ISO 8601 with or without
 * offset (without: UTC); {@code sendDate} out with its offset; the dispatch's times out in UTC without offset, the
 * dialect's own form ({@code 2017-08-18T11:17:50.26}: milliseconds, trailing zeros dropped).
 */
final class MessagingDates {
    private static final DateTimeFormatter WITH_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 3, true)
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter();
    private static final DateTimeFormatter UTC_WITHOUT_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 3, true)
            .toFormatter();

    private MessagingDates() {
    }

    /** A scheduleDate; blank means none. Not ISO 8601 is error 2001. */
    static OffsetDateTime parseSchedule(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(raw.strip(), OffsetDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof OffsetDateTime withOffset ? withOffset : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiError.INVALID_FIELD.exception("scheduleDate must be an ISO 8601 date-time, e.g. 2023-06-10T10:00:00+03:00");
        }
    }

    static String withOffset(OffsetDateTime at) {
        return at == null ? null : WITH_OFFSET.format(at);
    }

    static String utc(OffsetDateTime at) {
        return at == null ? null : UTC_WITHOUT_OFFSET.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
