package io.jtgt.iscsi.text;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An ordered list of {@code key=value} pairs as carried in Login and Text PDUs (RFC 7143 6.1):
 * UTF-8, each pair terminated by a NUL byte.
 */
public final class TextParameters {

    /** Longest key name (RFC 7143 6.1). */
    public static final int MAX_KEY_LENGTH = 63;

    private final List<Map.Entry<String, String>> pairs = new ArrayList<>();

    public TextParameters add(String key, String value) {
        pairs.add(Map.entry(key, value));
        return this;
    }

    /** Replaces the value of the first pair named {@code key}, if present. */
    public void replace(String key, String value) {
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).getKey().equals(key)) {
                pairs.set(i, Map.entry(key, value));
                return;
            }
        }
    }

    public List<Map.Entry<String, String>> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** The first value of {@code key}, or null. */
    public String get(String key) {
        for (Map.Entry<String, String> pair : pairs) {
            if (pair.getKey().equals(key)) {
                return pair.getValue();
            }
        }
        return null;
    }

    /**
     * Parses a complete text (all continuation PDUs joined). A trailing pair without its NUL is
     * accepted (some initiators omit the last one); empty strings between NULs are skipped.
     *
     * @throws TextFormatException if a pair has no '=' or its key is empty or too long
     */
    public static TextParameters parse(byte[] text) {
        TextParameters result = new TextParameters();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == 0) {
                if (i > start) {
                    String pair = new String(text, start, i - start, StandardCharsets.UTF_8);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new TextFormatException("not a key=value pair: " + abbreviate(pair));
                    }
                    if (eq > MAX_KEY_LENGTH) {
                        throw new TextFormatException("key longer than 63 bytes: " + abbreviate(pair));
                    }
                    result.add(pair.substring(0, eq), pair.substring(eq + 1));
                }
                start = i + 1;
            }
        }
        return result;
    }

    public static TextParameters parse(ByteBuf text) {
        byte[] bytes = new byte[text.readableBytes()];
        text.getBytes(text.readerIndex(), bytes);
        return parse(bytes);
    }

    /** The wire form: every pair followed by NUL. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> pair : pairs) {
            sb.append(pair.getKey()).append('=').append(pair.getValue()).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    @Override
    public String toString() {
        return pairs.toString();
    }
}
