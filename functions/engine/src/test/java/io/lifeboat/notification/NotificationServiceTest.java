package io.lifeboat.notification;

import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.EndpointPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationServiceTest {
    final InMemoryNotificationRepository repository = new InMemoryNotificationRepository();
    final NotificationService production = new NotificationService(repository, EndpointPolicy.production(),
            Clock.systemUTC());

    static NotificationRequest request(String name, String url, List<String> events, String secret) {
        return new NotificationRequest(name, url, events, secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data", "http://metadata.google.internal/",
            "http://10.0.0.7/hook", "http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://192.168.1.1/",
            "ftp://example.com/hook", "https://user:pass@example.com/hook"})
    void aWebhookToAForbiddenAddressIsRefusedNamingTheField(String url) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> production.create("p", request("ops", url, null, null)));
        assertEquals("url", e.field());
        assertEquals(400, e.status());
        assertTrue(repository.all("p").isEmpty(), "nothing is stored");
    }

    @Test
    void loopbackIsAllowedInLocalModeOnly() {
        NotificationService local = new NotificationService(repository, new EndpointPolicy(true), Clock.systemUTC());
        assertEquals("http://127.0.0.1:9999/hook",
                local.create("p", request("ops", "http://127.0.0.1:9999/hook", null, null)).url());
    }

    @Test
    void aGeneratedSecretIsLongAndRandomAndAGivenOneIsKept() {
        Notification first = production.create("p", request("a", "https://hooks.example.com/a", null, null));
        Notification second = production.create("p", request("b", "https://hooks.example.com/b", null, null));
        assertTrue(first.secret().matches("[0-9a-f]{64}"), "256 random bits");
        assertNotEquals(first.secret(), second.secret());
        assertEquals("a-given-secret-of-some-length", production.create("p",
                request("c", "https://hooks.example.com/c", null, "a-given-secret-of-some-length")).secret());
        assertFalse(first.toString().contains(first.secret()), "the secret is never in a log line");
    }

    @Test
    void eachBadFieldIsNamed() {
        assertEquals("events[1]", assertThrows(InvalidInputException.class, () -> production.create("p",
                request("a", "https://hooks.example.com/", List.of("backup.failed", "backup.exploded"), null))).field());
        assertEquals("secret", assertThrows(InvalidInputException.class, () -> production.create("p",
                request("a", "https://hooks.example.com/", null, "short"))).field());
        assertEquals("url", assertThrows(InvalidInputException.class, () -> production.create("p",
                request("a", null, null, null))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> production.create("p",
                request("Not A Label", "https://hooks.example.com/", null, null))).field());
    }

    @Test
    void aTakenNameIsAConflict() {
        production.create("p", request("ops", "https://hooks.example.com/", List.of("backup.failed"), null));
        assertThrows(ConflictException.class, () -> production.create("p",
                request("ops", "https://hooks.example.com/other", null, null)));
        assertEquals(List.of("backup.failed"), production.get("p", "ops").events());
    }
}
