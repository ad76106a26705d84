package io.herald.api.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.herald.api.ApiError;
import io.herald.api.ApiException;
import io.herald.api.Json;
import io.herald.pipeline.Recipient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * (About 250 lines: the two passes over one body - the whole scan and the lazy recipient reader - share its field
 * rules, which belong in one place.)
 * <p>
 * Reads a {@code POST /api/SendMessages} body with Jackson's streaming parser, never as a tree: a 100,000-recipient
 * request is held once, as the bytes it arrived in. {@link #scan} reads it whole once (syntax, field types, the
 * top-level fields, whatever their order; UTF-8 only, see {@link Utf8Only}); {@link #recipients} then reads the
 * recipients again lazily, one at a time, as the accept pipeline asks for them.
 * <p>
 * Recipient fields {@code uniqueId}, {@code cardNumber}, {@code email}, {@code mobilePhone} take a string or a
 * number (used as text); {@code payload} an object of scalars (numbers and booleans used as text, nulls dropped).
 * Other fields (e.g. {@code password}) are ignored. A wrong type is error 1001, an over-long identifier 2001.
 */
final class SendMessagesReader {
    static final int MAX_IDENTIFIER_LENGTH = 200;

    /** The top-level fields; {@code recipients} is how many there are, -1 when the field is absent or null. */
    record Header(Long templateId, String scheduleDate, int recipients) {
    }

    private SendMessagesReader() {
    }

    static Header scan(Supplier<InputStream> body) {
        try (JsonParser p = parser(() -> new Utf8Only(body.get()))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ApiError.GENERAL.exception("Request body is missing");
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiError.GENERAL.exception("Request body must be a JSON object");
            }
            Long templateId = null;
            String scheduleDate = null;
            int recipients = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "templateId" -> templateId = integer(p, field);
                    case "scheduleDate" -> scheduleDate = text(p, field);
                    case "recipients" -> recipients = countRecipients(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ApiError.GENERAL.exception("Malformed JSON request body");
            }
            return new Header(templateId, scheduleDate, recipients);
        } catch (JsonProcessingException e) {
            throw malformed();
        } catch (Utf8Only.NotUtf8Exception e) {
            throw ApiError.GENERAL.exception(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recipients in request order, parsed afresh on each iteration; the body must have passed {@link #scan}. */
    static Iterable<Recipient> recipients(Supplier<InputStream> body) {
        return () -> new LazyRecipients(body);
    }

    private static int countRecipients(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiError.wrongType("recipients", "an array");
        }
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            read(p, index++);
        }
        return index;
    }

    /** One recipient object; the parser is at its START_OBJECT and is left at its END_OBJECT. */
    private static Recipient read(JsonParser p, int index) throws IOException {
        String at = "recipients[" + index + "]";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ApiError.wrongType(at, "an object");
        }
        String uniqueId = null;
        String cardNumber = null;
        String email = null;
        String mobile = null;
        Map<String, String> payload = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "uniqueId" -> uniqueId = identifier(p, at + ".uniqueId");
                case "cardNumber" -> cardNumber = identifier(p, at + ".cardNumber");
                case "email" -> email = scalar(p, at + ".email");
                case "mobilePhone" -> mobile = scalar(p, at + ".mobilePhone");
                case "payload" -> payload = payload(p, at + ".payload");
                default -> p.skipChildren();
            }
        }
        return new Recipient(null, email, mobile, uniqueId, cardNumber, payload, null);
    }

    private static String identifier(JsonParser p, String field) throws IOException {
        String value = scalar(p, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_IDENTIFIER_LENGTH) {
            throw ApiError.INVALID_FIELD.exception(field + " must be at most " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        return value;
    }

    private static String scalar(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            default -> throw ApiError.wrongType(field, "a string");
        };
    }

    private static Map<String, String> payload(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ApiError.wrongType(field, "an object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            switch (p.nextToken()) {
                case VALUE_NULL -> {
                }
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> values.put(key, p.getText());
                default -> throw ApiError.wrongType(field + "." + key, "a string");
            }
        }
        return values;
    }

    private static Long integer(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw ApiError.wrongType(field, "an integer");
        }
        return p.getLongValue();
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw ApiError.wrongType(field, "a string");
        }
        return p.getText();
    }

    private static JsonParser parser(Supplier<InputStream> body) {
        try {
            JsonParser p = Json.MAPPER.getFactory().createParser(body.get());
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            return p;
        } catch (Utf8Only.NotUtf8Exception e) {
            // the parser reads the first bytes to detect the encoding
            throw ApiError.GENERAL.exception(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException malformed() {
        return ApiError.GENERAL.exception("Malformed JSON request body");
    }

    /** Reads the recipients array of a scanned body one recipient at a time; closes its parser at the end. */
    private static final class LazyRecipients implements Iterator<Recipient> {
        private final JsonParser parser;
        private int index;
        private boolean ready;
        private boolean done;

        LazyRecipients(Supplier<InputStream> body) {
            parser = parser(body);
            try {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("recipients")) {
                        return;
                    }
                    parser.skipChildren();
                }
                finish();
            } catch (JsonProcessingException e) {
                throw malformed();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            if (!ready && !done) {
                try {
                    if (parser.nextToken() == JsonToken.START_OBJECT) {
                        ready = true;
                    } else {
                        finish();
                    }
                } catch (JsonProcessingException e) {
                    throw malformed();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return ready;
        }

        @Override
        public Recipient next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            try {
                return read(parser, index++);
            } catch (JsonProcessingException e) {
                throw malformed();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void finish() throws IOException {
            done = true;
            parser.close();
        }
    }
}
