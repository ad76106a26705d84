package io.herald.api.messaging;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read through as it is parsed, failing on bytes that are not UTF-8 (RFC 8259 §8.1: JSON exchanged
 * between systems is UTF-8) and on NUL, which no JSON text holds. Jackson's byte parser would otherwise detect UTF-16
 * and UTF-32 by itself and accept what the other dialects refuse, and it does not reject every ill-formed sequence
 * (overlong forms, encoded surrogates, code points above U+10FFFF). The check is one table-free pass over each byte,
 * so a 100,000-recipient body is still read only as it is parsed.
 */
final class Utf8Only extends FilterInputStream {
    private int pending;
    private int low = 0x80;
    private int high = 0xBF;

    /** The body is not UTF-8 JSON; rendered as error 1001. */
    static final class NotUtf8Exception extends IOException {
        NotUtf8Exception() {
            super("Request body is not valid UTF-8");
        }
    }

    Utf8Only(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            end();
        } else {
            check(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            end();
        }
        for (int i = 0; i < n; i++) {
            check(buffer[offset + i] & 0xFF);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void end() throws NotUtf8Exception {
        if (pending > 0) {
            throw new NotUtf8Exception();
        }
    }

    /** Well-formed UTF-8 as in the Unicode Standard's table 3-7. */
    private void check(int b) throws NotUtf8Exception {
        if (pending > 0) {
            if (b < low || b > high) {
                throw new NotUtf8Exception();
            }
            pending--;
            low = 0x80;
            high = 0xBF;
            return;
        }
        if (b == 0) {
            throw new NotUtf8Exception();
        }
        if (b < 0x80) {
            return;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            expect(1, 0x80, 0xBF);
        } else if (b == 0xE0) {
            expect(2, 0xA0, 0xBF);
        } else if (b >= 0xE1 && b <= 0xEC || b == 0xEE || b == 0xEF) {
            expect(2, 0x80, 0xBF);
        } else if (b == 0xED) {
            expect(2, 0x80, 0x9F);
        } else if (b == 0xF0) {
            expect(3, 0x90, 0xBF);
        } else if (b >= 0xF1 && b <= 0xF3) {
            expect(3, 0x80, 0xBF);
        } else if (b == 0xF4) {
            expect(3, 0x80, 0x8F);
        } else {
            throw new NotUtf8Exception();
        }
    }

    private void expect(int continuationBytes, int firstLow, int firstHigh) {
        pending = continuationBytes;
        low = firstLow;
        high = firstHigh;
    }
}
