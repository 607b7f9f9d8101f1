package io.lifeboat.objectstore.outbound;

import io.lifeboat.input.OutboundPolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A DNS lookup that answers only addresses the {@link OutboundPolicy} allows, for the clients that take a resolver:
 * Apache's (the AWS SDK, Google's transport) and OkHttp's (MinIO). The client connects to what this returns, so the
 * address checked is the address connected to.
 */
public final class CheckedDns implements org.apache.http.conn.DnsResolver, okhttp3.Dns {
    private final OutboundPolicy policy;

    public CheckedDns(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.resolve(host).toArray(InetAddress[]::new);
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        return policy.resolve(host);
    }
}
