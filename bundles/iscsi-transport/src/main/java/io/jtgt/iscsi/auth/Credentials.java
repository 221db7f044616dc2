package io.jtgt.iscsi.auth;

import java.nio.charset.StandardCharsets;

/**
 * CHAP credentials of one target (or of discovery): the name and secret the initiator must prove,
 * and optionally the name and secret the target answers with when the initiator asks for mutual
 * CHAP. {@link #toString()} never shows a secret.
 *
 * @param userName the CHAP_N the initiator must send
 * @param secret the secret the initiator proves it knows
 * @param mutualUserName our CHAP_N in mutual CHAP, or null
 * @param mutualSecret our secret in mutual CHAP, or null
 */
public record Credentials(String userName, String secret, String mutualUserName, String mutualSecret) {

    public Credentials {
        if (userName == null || userName.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("userName and secret are both required for CHAP");
        }
        boolean mutualName = mutualUserName != null && !mutualUserName.isEmpty();
        boolean mutualKey = mutualSecret != null && !mutualSecret.isEmpty();
        if (mutualName != mutualKey) {
            throw new IllegalArgumentException("mutualUserName and mutualSecret go together");
        }
        if (!mutualName) {
            mutualUserName = null;
            mutualSecret = null;
        } else if (mutualSecret.equals(secret)) {
            // RFC 7143 12.1.3: a secret used to authenticate initiators MUST NOT authenticate targets.
            throw new IllegalArgumentException("mutualSecret must differ from secret (RFC 7143 12.1.3)");
        }
    }

    public boolean mutual() {
        return mutualSecret != null;
    }

    byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    byte[] mutualSecretBytes() {
        return mutualSecret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Credentials[userName=" + userName + ", secret=****"
                + (mutual() ? ", mutualUserName=" + mutualUserName + ", mutualSecret=****" : "") + "]";
    }
}
