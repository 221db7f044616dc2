package io.jtgt.iscsi.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtgt.iscsi.login.LoginContext;
import io.jtgt.iscsi.login.LoginController;
import io.jtgt.iscsi.login.LoginController.Outcome;
import io.jtgt.iscsi.login.LoginStatus;
import io.jtgt.iscsi.login.ParameterTable;
import io.jtgt.iscsi.login.SessionDirectory;
import io.jtgt.iscsi.pdu.LoginRequestPdu;
import io.jtgt.iscsi.pdu.LoginResponsePdu;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.iscsi.testing.FakeRegistry;
import io.jtgt.iscsi.text.TextParameters;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CHAP (RFC 7143 12.1.3) and initiator lists through the login state machine. */
class ChapLoginTest {

    private static final String TARGET = "iqn.2026-11.test:disk";
    private static final String OPEN = "iqn.2026-11.test:open";
    private static final String INITIATOR = "iqn.2026-11.test:init";
    private static final String USER = "alice";
    private static final String SECRET = "alice-secret-123";
    private static final String MUTUAL_USER = "target-disk";
    private static final String MUTUAL_SECRET = "target-secret-456";

    private final FakeRegistry registry = new FakeRegistry().add(TARGET, Map.of(1, List.of(0)), 8)
            .add(OPEN, Map.of(1, List.of(0)), 8);
    private final AccessRules rules = new AccessRules();
    private final SessionDirectory sessions = new SessionDirectory() {
        private int next = 1;

        @Override
        public boolean exists(int tsih) {
            return false;
        }

        @Override
        public boolean belongsTo(int tsih, String initiatorName, long isid) {
            return false;
        }

        @Override
        public int allocateTsih() {
            return next++;
        }
    };
    private LoginController login;

    ChapLoginTest() {
        rules.put("pid.disk", AccessRule.fromProperties(Map.of("target", TARGET, "userName", USER, "secret", SECRET,
                "mutualUserName", MUTUAL_USER, "mutualSecret", MUTUAL_SECRET)));
        newLogin();
    }

    private void newLogin() {
        login = new LoginController(new LoginContext(registry, new ParameterTable(TransportSettings.defaults()),
                new ChapAuthenticator(rules), sessions, 0, 128));
    }

    private static LoginRequestPdu request(int csg, int nsg, boolean transit, TextParameters keys) {
        LoginRequestPdu pdu = new LoginRequestPdu();
        pdu.transit(transit);
        pdu.stages(csg, nsg);
        pdu.isid(0x400001370000L);
        pdu.initiatorTaskTag(1);
        pdu.cmdSn(1);
        pdu.data(keys.encode());
        return pdu;
    }

    private static TextParameters identity(String target) {
        return new TextParameters().add("InitiatorName", INITIATOR).add("TargetName", target);
    }

    private static TextParameters keys(LoginController.Step step) {
        return TextParameters.parse(step.response().data());
    }

    private LoginController.Step security(TextParameters keys) {
        return login.handle(request(0, 1, true, keys));
    }

    /** Steps 1–2: AuthMethod, then CHAP_A; returns the target's CHAP_A/I/C answer. */
    private TextParameters challenge(String algorithms) {
        LoginController.Step first = security(identity(TARGET).add("AuthMethod", "CHAP,None"));
        assertEquals(Outcome.CONTINUE, first.outcome());
        assertEquals("CHAP", keys(first).get("AuthMethod"));
        assertFalse(first.response().transit(), "T=0 while CHAP is still running");
        assertEquals(0, first.response().currentStage());
        LoginController.Step second = security(new TextParameters().add("CHAP_A", algorithms));
        assertEquals(Outcome.CONTINUE, second.outcome(), second.failureReason());
        assertFalse(second.response().transit());
        return keys(second);
    }

    private static byte[] hex(String value) {
        assertTrue(value.startsWith("0x"), value);
        return java.util.HexFormat.of().parseHex(value.substring(2));
    }

    private static String response(ChapAlgorithm algorithm, TextParameters challenge, String secret) {
        byte[] r = algorithm.response(Integer.parseInt(challenge.get("CHAP_I")),
                secret.getBytes(StandardCharsets.UTF_8), hex(challenge.get("CHAP_C")));
        return BinaryValue.hex(r);
    }

    @ParameterizedTest(name = "offered {0} -> CHAP_A={1}")
    @CsvSource(delimiter = ';', value = {"5;MD5", "6;SHA1", "7;SHA256", "5,6,7;SHA256", "7,6,5;SHA256", "6,5;SHA1",
        "99,5;MD5"})
    void oneWayChapWithTheStrongestOfferedAlgorithm(String offered, ChapAlgorithm expected) {
        TextParameters challenge = challenge(offered);
        assertEquals(Integer.toString(expected.code()), challenge.get("CHAP_A"));
        assertEquals(expected.challengeLength(), hex(challenge.get("CHAP_C")).length);
        int id = Integer.parseInt(challenge.get("CHAP_I"));
        assertTrue(id >= 0 && id <= 255);
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", response(expected, challenge, SECRET)));
        assertEquals(Outcome.CONTINUE, done.outcome(), done.failureReason());
        assertTrue(done.response().transit(), "authenticated: on to the operational stage");
        assertEquals(1, done.response().nextStage());
        assertFalse(keys(done).pairs().stream().anyMatch(p -> p.getKey().startsWith("CHAP_")),
                "no CHAP answer in one-way CHAP");
        assertEquals(Outcome.COMPLETE, login.handle(request(1, 3, true, new TextParameters())).outcome());
    }

    @Test
    void aBase64ResponseIsAcceptedToo() {
        TextParameters challenge = challenge("5");
        byte[] r = ChapAlgorithm.MD5.response(Integer.parseInt(challenge.get("CHAP_I")),
                SECRET.getBytes(StandardCharsets.UTF_8), hex(challenge.get("CHAP_C")));
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", "0b" + Base64.getEncoder().encodeToString(r)));
        assertEquals(Outcome.CONTINUE, done.outcome(), done.failureReason());
    }

    @Test
    void mutualChapAnswersWithTheTargetsNameAndResponse() {
        TextParameters challenge = challenge("7,5");
        byte[] ours = new byte[32];
        new java.util.Random(7).nextBytes(ours);
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", response(ChapAlgorithm.SHA256, challenge, SECRET)).add("CHAP_I", "77")
                .add("CHAP_C", BinaryValue.hex(ours)));
        assertEquals(Outcome.CONTINUE, done.outcome(), done.failureReason());
        TextParameters answer = keys(done);
        assertEquals(MUTUAL_USER, answer.get("CHAP_N"));
        assertArrayEquals(ChapAlgorithm.SHA256.response(77, MUTUAL_SECRET.getBytes(StandardCharsets.UTF_8), ours),
                hex(answer.get("CHAP_R")));
        assertTrue(done.response().transit());
    }

    @Test
    void aMutualChallengeEqualToOursIsRefused() {
        TextParameters challenge = challenge("5");
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", response(ChapAlgorithm.MD5, challenge, SECRET)).add("CHAP_I", challenge.get("CHAP_I"))
                .add("CHAP_C", challenge.get("CHAP_C")));
        assertEquals(Outcome.FAILED, done.outcome());
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, done.response().status());
        assertTrue(done.response().data().readableBytes() == 0, "no CHAP_R computed for a reflected challenge");
    }

    @Test
    void mutualChapWithoutMutualCredentialsFails() {
        rules.put("pid.disk", AccessRule.fromProperties(Map.of("target", TARGET, "userName", USER, "secret", SECRET)));
        newLogin();
        TextParameters challenge = challenge("5");
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", response(ChapAlgorithm.MD5, challenge, SECRET)).add("CHAP_I", "1")
                .add("CHAP_C", "0x0102030405060708090a0b0c0d0e0f10"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, done.response().status());
    }

    @Test
    void wrongSecretOrNameIsAuthenticationFailure() {
        TextParameters challenge = challenge("5");
        LoginController.Step done = security(new TextParameters().add("CHAP_N", USER)
                .add("CHAP_R", response(ChapAlgorithm.MD5, challenge, "not-the-secret")));
        assertEquals(Outcome.FAILED, done.outcome());
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, done.response().status());
        assertFalse(done.failureReason().contains(SECRET), "secrets never reach a message");

        newLogin();
        challenge = challenge("5");
        done = security(new TextParameters().add("CHAP_N", "mallory")
                .add("CHAP_R", response(ChapAlgorithm.MD5, challenge, SECRET)));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, done.response().status());
    }

    @Test
    void aFreshChallengeEveryLogin() {
        String first = challenge("5").get("CHAP_C");
        newLogin();
        String second = challenge("5").get("CHAP_C");
        assertNotEquals(first, second);
    }

    @Test
    void noAlgorithmInCommonIsAuthenticationFailure() {
        security(identity(TARGET).add("AuthMethod", "CHAP"));
        LoginController.Step step = security(new TextParameters().add("CHAP_A", "128,99"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status());
    }

    @Test
    void algorithmsCanBeRestrictedPerTarget() {
        rules.put("pid.disk", AccessRule.fromProperties(Map.of("target", TARGET, "userName", USER, "secret", SECRET,
                "chapAlgorithms", "SHA-256")));
        newLogin();
        security(identity(TARGET).add("AuthMethod", "CHAP"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE,
                security(new TextParameters().add("CHAP_A", "5")).response().status(), "MD5 not allowed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "CHAP_A not a number;CHAP_A=md5",
        "response keys before CHAP_A;CHAP_N=alice|CHAP_R=0x00",
        "CHAP_A twice;CHAP_A=5|CHAP_A=5"})
    void malformedAlgorithmStepIsAnInitiatorError(String what, String pairs) {
        security(identity(TARGET).add("AuthMethod", "CHAP"));
        TextParameters keys = new TextParameters();
        for (String pair : pairs.split("\\|")) {
            String[] kv = pair.split("=", 2);
            keys.add(kv[0], kv[1]);
        }
        LoginController.Step step = security(keys);
        assertEquals(Outcome.FAILED, step.outcome());
        assertEquals(LoginStatus.INITIATOR_ERROR, step.response().status(), what);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "CHAP_R missing;CHAP_N=alice",
        "CHAP_R not binary;CHAP_N=alice|CHAP_R=12345",
        "CHAP_R bad hex;CHAP_N=alice|CHAP_R=0xzz",
        "CHAP_I without CHAP_C;CHAP_N=alice|CHAP_R=0x00|CHAP_I=1",
        "unknown key;CHAP_N=alice|CHAP_R=0x00|CHAP_X=1"})
    void malformedResponseStepIsAnInitiatorError(String what, String pairs) {
        challenge("5");
        TextParameters keys = new TextParameters();
        for (String pair : pairs.split("\\|")) {
            String[] kv = pair.split("=", 2);
            keys.add(kv[0], kv[1]);
        }
        LoginController.Step step = security(keys);
        assertEquals(Outcome.FAILED, step.outcome());
        assertEquals(LoginStatus.INITIATOR_ERROR, step.response().status(), what);
    }

    @Test
    void aProtectedTargetRefusesAuthMethodNoneAndSkippingSecurity() {
        LoginController.Step step = security(identity(TARGET).add("AuthMethod", "None"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status());

        newLogin();
        step = login.handle(request(1, 3, true, identity(TARGET)));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status(), "operational stage first");

        newLogin();
        step = security(identity(TARGET));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status(), "transit with no AuthMethod");
    }

    @Test
    void anUnprotectedTargetStillLogsInWithoutAuthentication() {
        LoginController.Step step = security(identity(OPEN).add("AuthMethod", "CHAP,None"));
        assertEquals("None", keys(step).get("AuthMethod"));
        assertTrue(step.response().transit());
    }

    @Test
    void initiatorsNotOnTheListGet0202() {
        rules.put("pid.open", AccessRule.fromProperties(Map.of("target", OPEN,
                "initiators", "iqn.2026-11.test:someone-else, IQN.2026-11.TEST:THIRD")));
        LoginController.Step step = security(identity(OPEN).add("AuthMethod", "None"));
        assertEquals(Outcome.FAILED, step.outcome());
        assertEquals(LoginStatus.AUTHORIZATION_FAILURE, step.response().status());

        rules.put("pid.open", AccessRule.fromProperties(Map.of("target", OPEN,
                "initiators", new String[] {"IQN.2026-11.test:INIT"})));
        newLogin();
        assertTrue(security(identity(OPEN).add("AuthMethod", "None")).response().transit(),
                "IQNs compare case-insensitively");
    }

    @Test
    void discoveryHasItsOwnRule() {
        rules.put("pid.discovery", AccessRule.fromProperties(Map.of("target", "discovery", "userName", "disco",
                "secret", "discovery-secret")));
        TextParameters discovery = new TextParameters().add("InitiatorName", INITIATOR)
                .add("SessionType", "Discovery");
        LoginController.Step step = security(new TextParameters().add("InitiatorName", INITIATOR)
                .add("SessionType", "Discovery").add("AuthMethod", "None"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status());
        newLogin();
        security(discovery.add("AuthMethod", "CHAP"));
        TextParameters challenge = keys(security(new TextParameters().add("CHAP_A", "5")));
        LoginController.Step done = security(new TextParameters().add("CHAP_N", "disco")
                .add("CHAP_R", response(ChapAlgorithm.MD5, challenge, "discovery-secret")));
        assertTrue(done.response().transit(), done.failureReason());
    }

    @Test
    void configurationErrorsNameThePropertyAndHideSecrets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessRule.fromProperties(Map.of("target", TARGET, "secret", "s3cret-value")));
        assertTrue(e.getMessage().contains("userName"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value"));
        e = assertThrows(IllegalArgumentException.class, () -> AccessRule.fromProperties(Map.of("target", TARGET,
                "userName", "u", "secret", "same-secret", "mutualUserName", "t", "mutualSecret", "same-secret")));
        assertTrue(e.getMessage().contains("mutualSecret must differ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccessRule.fromProperties(Map.of("userName", "u")));
        assertThrows(IllegalArgumentException.class, () -> AccessRule.fromProperties(Map.of("target", TARGET,
                "chapAlgorithms", "MD4")));
        Map<String, Object> props = new HashMap<>(Map.of("target", TARGET, "userName", "u", "secret", "hidden-one",
                "mutualUserName", "t", "mutualSecret", "hidden-two"));
        String shown = AccessRule.fromProperties(props).toString();
        assertFalse(shown.contains("hidden-one") || shown.contains("hidden-two"), shown);
        assertNotNull(AccessRule.lockedOut(TARGET));
        assertFalse(AccessRule.lockedOut(TARGET).admits(INITIATOR));
    }

    @Test
    void chapAMayComeWithAuthMethod() {
        LoginController.Step step = security(identity(TARGET).add("AuthMethod", "CHAP").add("CHAP_A", "6,5"));
        assertEquals(Outcome.CONTINUE, step.outcome(), step.failureReason());
        assertEquals("CHAP", keys(step).get("AuthMethod"));
        assertEquals("6", keys(step).get("CHAP_A"));
        assertNotNull(keys(step).get("CHAP_C"));
    }

    @Test
    void aRuleSpelledInAnotherCaseStillProtectsTheTarget() {
        rules.remove("pid.disk");
        rules.put("pid.upper", AccessRule.fromProperties(Map.of("target", TARGET.toUpperCase(java.util.Locale.ROOT),
                "userName", USER, "secret", SECRET)));
        LoginController.Step step = security(identity(TARGET).add("AuthMethod", "None"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, step.response().status());
    }
}
