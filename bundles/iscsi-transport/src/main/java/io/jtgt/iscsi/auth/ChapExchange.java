package io.jtgt.iscsi.auth;

import io.jtgt.iscsi.login.AuthExchange;
import io.jtgt.iscsi.login.LoginException;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.text.TextParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CHAP dialogue, target side (RFC 7143 12.1.3, RFC 1994):
 * <ol>
 * <li>I→T {@code CHAP_A=<A1,A2,...>}; T→I {@code CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>}, A the
 * strongest offered algorithm we allow, I and C fresh from a {@link SecureRandom};</li>
 * <li>I→T {@code CHAP_N CHAP_R} [{@code CHAP_I CHAP_C} for mutual CHAP]; T checks N and
 * R = H(I || secret || C) in constant time, and for mutual CHAP answers {@code CHAP_N CHAP_R}.</li>
 * </ol>
 * A wrong name, response or algorithm is an authentication failure (0x0201); keys out of order,
 * missing or malformed are an initiator error (0x0200). Secrets never reach a message.
 */
final class ChapExchange implements AuthExchange {

    /** Longest initiator challenge accepted for mutual CHAP (RFC 7143 12.1.3 allows up to 1024). */
    static final int MAX_CHALLENGE = 1024;

    private enum Phase { ALGORITHM, RESPONSE, DONE }

    private final Credentials credentials;
    private final Set<ChapAlgorithm> allowed;
    private final SecureRandom random;
    private Phase phase = Phase.ALGORITHM;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;

    ChapExchange(Credentials credentials, Set<ChapAlgorithm> allowed, SecureRandom random) {
        this.credentials = credentials;
        this.allowed = allowed;
        this.random = random;
    }

    @Override
    public State step(List<Map.Entry<String, String>> securityKeys, TextParameters response) throws LoginException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : securityKeys) {
            if (keys.put(pair.getKey(), pair.getValue()) != null) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, pair.getKey() + " sent twice");
            }
        }
        return switch (phase) {
            case ALGORITHM -> algorithm(keys, response);
            case RESPONSE -> response(keys, response);
            case DONE -> {
                if (!keys.isEmpty()) {
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP keys after CHAP completed: "
                            + keys.keySet());
                }
                yield State.DONE;
            }
        };
    }

    private State algorithm(Map<String, String> keys, TextParameters response) throws LoginException {
        if (keys.isEmpty()) {
            return State.CONTINUE; // AuthMethod alone; CHAP_A comes next
        }
        String offered = keys.remove("CHAP_A");
        if (offered == null || !keys.isEmpty()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "expected CHAP_A first, got " + keys.keySet());
        }
        algorithm = strongestOffered(offered);
        if (algorithm == null) {
            // RFC 7143 12.1.3: no algorithm in common is a login reject, Authentication Failure.
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "no allowed CHAP_A in " + offered
                    + " (allowed: " + allowed + ")");
        }
        identifier = random.nextInt(256);
        challenge = new byte[algorithm.challengeLength()];
        random.nextBytes(challenge);
        response.add("CHAP_A", Integer.toString(algorithm.code()));
        response.add("CHAP_I", Integer.toString(identifier));
        response.add("CHAP_C", BinaryValue.hex(challenge));
        phase = Phase.RESPONSE;
        return State.CONTINUE;
    }

    private ChapAlgorithm strongestOffered(String offered) throws LoginException {
        ChapAlgorithm best = null;
        for (String item : offered.split(",", -1)) {
            if (item.isEmpty() || item.length() > 10 || !item.chars().allMatch(Character::isDigit)) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, "malformed CHAP_A " + offered);
            }
            ChapAlgorithm candidate = ChapAlgorithm.ofCode(Integer.parseInt(item));
            if (candidate != null && allowed.contains(candidate)
                    && (best == null || candidate.ordinal() < best.ordinal())) {
                best = candidate;
            }
        }
        return best;
    }

    private State response(Map<String, String> keys, TextParameters response) throws LoginException {
        String name = keys.remove("CHAP_N");
        String answer = keys.remove("CHAP_R");
        String mutualId = keys.remove("CHAP_I");
        String mutualChallenge = keys.remove("CHAP_C");
        if (name == null || answer == null || !keys.isEmpty() || (mutualId == null) != (mutualChallenge == null)) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "expected CHAP_N, CHAP_R [, CHAP_I, CHAP_C]");
        }
        byte[] received = BinaryValue.decode(answer);
        if (received == null) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP_R is not a binary value");
        }
        byte[] expected = algorithm.response(identifier, credentials.secretBytes(), challenge);
        boolean nameMatches = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                credentials.userName().getBytes(StandardCharsets.UTF_8));
        boolean responseMatches = MessageDigest.isEqual(expected, received);
        byte[] sent = challenge;
        challenge = null; // one response per challenge
        if (!(nameMatches & responseMatches)) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "CHAP " + algorithm + " response of '"
                    + name + "' does not match" + (nameMatches ? "" : " (unknown name)"));
        }
        if (mutualId != null) {
            mutual(mutualId, mutualChallenge, sent, expected, response);
        }
        phase = Phase.DONE;
        return State.DONE;
    }

    /** The initiator authenticates us too. */
    private void mutual(String idText, String challengeText, byte[] sentChallenge, byte[] ourExpected,
            TextParameters response)
            throws LoginException {
        if (!credentials.mutual()) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE,
                    "initiator asked for mutual CHAP; no mutualUserName/mutualSecret configured");
        }
        int id;
        if (idText.isEmpty() || idText.length() > 3 || !idText.chars().allMatch(Character::isDigit)
                || (id = Integer.parseInt(idText)) > 255) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP_I out of 0..255");
        }
        byte[] theirChallenge = BinaryValue.decode(challengeText);
        if (theirChallenge == null || theirChallenge.length == 0 || theirChallenge.length > MAX_CHALLENGE) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "malformed CHAP_C");
        }
        byte[] ours = algorithm.response(id, credentials.mutualSecretBytes(), theirChallenge);
        if (MessageDigest.isEqual(theirChallenge, sentChallenge) || MessageDigest.isEqual(ours, ourExpected)) {
            // RFC 7143 12.1.3: our own challenge reflected back (or a response equal to the one we
            // expected) would let an attacker use us as an oracle.
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP challenge reflects ours");
        }
        response.add("CHAP_N", credentials.mutualUserName());
        response.add("CHAP_R", BinaryValue.hex(ours));
    }
}
