package io.lifeboat.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every check runs on addresses and a fake resolver: nothing here connects, and no name goes to a real DNS. */
class OutboundPolicyTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A DNS that knows a few names, and nothing else. */
    private static OutboundPolicy.Resolver fakeDns(Map<String, String> names) {
        return host -> {
            String address = names.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getByAddress(host, ip(address).getAddress())};
        };
    }

    private final OutboundPolicy local = OutboundPolicy.localMode().withResolver(fakeDns(Map.of()));
    private final OutboundPolicy production = OutboundPolicy.production().withResolver(fakeDns(Map.of()));

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe", "[::a9fe:a9fe]",
            "[64:ff9b::a9fe:a9fe]", "[64:ff9b::169.254.169.254]", "[2002:a9fe:a9fe::1]", "fd00:ec2::254",
            "[FD00:EC2:0:0:0:0:0:254]", "169.254.170.2", "100.100.100.200", "192.0.0.192", "169.254.0.1", "fe80::1",
            "[fe80::1%1]", "0.0.0.0", "::", "[::]", "0.1.2.3", "224.0.0.1", "255.255.255.255", "ff02::1",
            "metadata.google.internal", "metadata.google.internal.", "METADATA.Google.Internal", "metadata",
            "metadata.", "instance-data", "instance-data.ec2.internal."})
    void metadataLinkLocalAndUnspecifiedAreRefusedEvenInLocalMode(String host) throws Exception {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> local.resolve(host));
        assertEquals("AddressNotAllowed", e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("never allowed"), e.getMessage());
    }

    @Test
    void metadataStaysRefusedInsideAnAllowedPrivateRange() throws Exception {
        OutboundPolicy allowing = OutboundPolicy.configured(false, "100.64.0.0/10,fc00::/7");
        assertThrows(OutboundRefusedException.class, () -> allowing.resolve("100.100.100.200"));
        assertThrows(OutboundRefusedException.class, () -> allowing.resolve("fd00:ec2::254"));
        assertEquals(1, allowing.resolve("100.64.1.1").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "172.16.5.4", "172.31.255.255", "100.64.0.1", "100.127.255.254",
            "fd12:3456::1", "fc00::1", "[::ffff:10.0.0.1]", "[64:ff9b::10.0.0.1]", "[::10.0.0.1]"})
    void privateRangesAreRefusedByDefaultAndAllowedByConfiguration(String host) throws Exception {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> production.resolve(host));
        assertTrue(e.getMessage().contains("allowed-private-cidrs"), e.getMessage());
        assertThrows(OutboundRefusedException.class, () -> local.resolve(host));
        OutboundPolicy allowing = OutboundPolicy.configured(false, "10.0.0.0/8,192.168.0.0/16,172.16.0.0/12,100.64.0.0/10,fc00::/7");
        assertEquals(1, allowing.resolve(host).size());
    }

    @Test
    void anAllowedRangeOpensOnlyItself() throws Exception {
        OutboundPolicy allowing = OutboundPolicy.configured(false, "10.1.0.0/16");
        assertEquals(1, allowing.resolve("10.1.200.3").size());
        assertThrows(OutboundRefusedException.class, () -> allowing.resolve("10.2.0.1"));
        assertThrows(OutboundRefusedException.class, () -> allowing.resolve("192.168.1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "169.254.0.0/16", "8.8.8.0/24", "::/0", "10.0.0.0/7", "not-a-cidr", "10.0.0.0/33",
            "10.0.0.0/x"})
    void theAllowedListTakesOnlyPrivateRanges(String cidr) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> OutboundPolicy.configured(false, cidr));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "[::ffff:127.0.0.1]"})
    void loopbackOnlyInLocalMode(String host) throws Exception {
        OutboundPolicy productionDns = OutboundPolicy.production().withResolver(fakeDns(Map.of("localhost", "127.0.0.1")));
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> productionDns.resolve(host));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        OutboundPolicy localDns = OutboundPolicy.localMode().withResolver(fakeDns(Map.of("localhost", "127.0.0.1")));
        assertTrue(localDns.resolve(host).get(0).isLoopbackAddress());
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIs() throws Exception {
        OutboundPolicy.Resolver twoAddresses = host -> new InetAddress[]{
                InetAddress.getByAddress(host, ip("93.184.215.14").getAddress()),
                InetAddress.getByAddress(host, ip("169.254.169.254").getAddress())};
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class,
                () -> OutboundPolicy.production().withResolver(twoAddresses).resolve("store.example.com"));
        assertTrue(e.getMessage().contains("store.example.com (169.254.169.254)"), e.getMessage());
    }

    @Test
    void eachLookupIsCheckedSoARebindingNameIsRefusedTheSecondTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        OutboundPolicy.Resolver rebinding = host -> new InetAddress[]{InetAddress.getByAddress(host,
                ip(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "169.254.169.254").getAddress())};
        OutboundPolicy policy = OutboundPolicy.production().withResolver(rebinding);
        List<InetAddress> first = policy.resolve("rebind.test");
        assertEquals("93.184.215.14", first.get(0).getHostAddress());
        assertThrows(OutboundRefusedException.class, () -> policy.resolve("rebind.test"));
    }

    @Test
    void anUnresolvableNameIsRefusedWithAClearReason() throws Exception {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class,
                () -> production.resolve("no-such-host.invalid"));
        assertEquals("UnknownHost", e.reason());
        assertEquals("the host no-such-host.invalid cannot be resolved (unknown host)", e.getMessage());
    }

    @Test
    void publicAddressesPass() throws Exception {
        assertEquals(1, production.resolve("93.184.215.14").size());
        assertEquals(1, production.resolve("[2606:2800:21f:cb07:6820:80da:af6b:8b2c]").size());
    }
}
