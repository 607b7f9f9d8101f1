package io.lifeboat.input;

import io.lifeboat.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data", "http://169.254.170.2/v2/credentials",
            "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://metadata.google.internal/computeMetadata",
            "http://100.100.100.200/", "http://[::ffff:169.254.169.254]/", "http://[::a9fe:a9fe]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://metadata.google.internal./", "http://METADATA.GOOGLE.INTERNAL/",
            "http://metadata/", "http://0.0.0.0/", "http://[::]/", "http://[2002:a9fe:a9fe::]/"})
    void metadataAndLinkLocalAreAlwaysRefused(String url) {
        EndpointPolicy permissive = new EndpointPolicy(true);
        assertEquals("endpoint", assertThrows(InvalidInputException.class,
                () -> permissive.requireUrl("endpoint", url)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000", "https://localhost/", "http://[::1]:9000"})
    void loopbackOnlyWhenAllowed(String url) {
        assertThrows(InvalidInputException.class, () -> EndpointPolicy.production().requireUrl("s3Url", url));
        assertEquals(url, new EndpointPolicy(true).requireUrl("s3Url", url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/", "http://100.64.0.1/",
            "http://[fd12:3456::1]/"})
    void privateAddressesAreRefusedUnlessAllowed(String url) {
        assertEquals("s3Url", assertThrows(InvalidInputException.class,
                () -> new EndpointPolicy(true).requireUrl("s3Url", url)).field());
        EndpointPolicy allowing = new EndpointPolicy(OutboundPolicy.configured(false,
                "10.0.0.0/8, 192.168.0.0/16,172.16.0.0/12,100.64.0.0/10,fd00::/8"));
        assertEquals(url, allowing.requireUrl("s3Url", url));
    }

    @Test
    void publicNamesAndUnknownHostsPass() {
        assertEquals("https://s3.eu-west-1.amazonaws.com",
                EndpointPolicy.production().requireUrl("s3Url", "https://s3.eu-west-1.amazonaws.com"));
        assertEquals("https://no-such-host.invalid",
                EndpointPolicy.production().requireUrl("s3Url", "https://no-such-host.invalid"));
    }

    @Test
    void userInfoIsRefused() {
        assertEquals("s3Url", assertThrows(InvalidInputException.class,
                () -> EndpointPolicy.production().requireUrl("s3Url", "https://key:secret@example.com")).field());
    }
}
