package io.jtgt.iscsi.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The CHAP hash algorithms (RFC 7143 12.1.3 CHAP_A, IANA "PPP Authentication Algorithms"):
 * MD5 (RFC 1994), SHA-1 and SHA-256 (RFC 7143 errata / Linux open-iscsi, LIO). Listed strongest
 * first, which is the order the target picks in.
 */
public enum ChapAlgorithm {
    SHA256(7, "SHA-256", 32),
    SHA1(6, "SHA-1", 20),
    MD5(5, "MD5", 16);

    private final int code;
    private final String jcaName;
    private final int challengeLength;

    ChapAlgorithm(int code, String jcaName, int challengeLength) {
        this.code = code;
        this.jcaName = jcaName;
        this.challengeLength = challengeLength;
    }

    /** The CHAP_A value. */
    public int code() {
        return code;
    }

    /** Our challenge is as long as the digest, as LIO and open-iscsi do (16 bytes for MD5). */
    public int challengeLength() {
        return challengeLength;
    }

    /** RFC 1994 4.1: R = H(I || secret || C), I being one octet. */
    public byte[] response(int identifier, byte[] secret, byte[] challenge) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " missing from the JDK", e);
        }
        digest.update((byte) identifier);
        digest.update(secret);
        digest.update(challenge);
        return digest.digest();
    }

    /** By CHAP_A code, or null. */
    public static ChapAlgorithm ofCode(int code) {
        for (ChapAlgorithm a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }

    /** By name ({@code MD5}, {@code SHA-1}, {@code SHA1}, {@code SHA-256}, ...) or code; null if unknown. */
    public static ChapAlgorithm parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("-", "");
        for (ChapAlgorithm a : values()) {
            if (a.name().equals(t) || Integer.toString(a.code).equals(t)) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return jcaName;
    }
}
