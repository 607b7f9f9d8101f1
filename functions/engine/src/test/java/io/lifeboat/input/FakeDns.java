package io.lifeboat.input;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS for tests: each name answers its addresses in turn, one per lookup, the last one repeating (so a name can
 * rebind from loopback to metadata on its second lookup). Names it does not know are unknown hosts: no real DNS is
 * ever asked.
 */
public final class FakeDns implements OutboundPolicy.Resolver {
    private final Map<String, List<String>> answers;
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public FakeDns(Map<String, List<String>> answers) {
        this.answers = answers;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> addresses = answers.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        String literal = addresses.get(Math.min(n, addresses.size() - 1));
        return new InetAddress[]{InetAddress.getByAddress(host, InetAddress.getByName(literal).getAddress())};
    }

    public int lookups(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }
}
