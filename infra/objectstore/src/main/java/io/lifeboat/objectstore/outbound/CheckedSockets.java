package io.lifeboat.objectstore.outbound;

import io.lifeboat.input.OutboundPolicy;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Plain sockets that check the address they are about to connect to, whatever resolved it (a literal address in a
 * URL skips some clients' DNS hook): a refused address fails before a packet is sent.
 */
public final class CheckedSockets extends SocketFactory {
    private final OutboundPolicy policy;

    public CheckedSockets(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (endpoint instanceof InetSocketAddress inet) {
                    if (inet.isUnresolved()) {
                        throw new java.net.UnknownHostException("unresolved " + inet.getHostString());
                    }
                    policy.check(inet.getHostString(), inet.getAddress());
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(policy.resolve(host).get(0), port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(new InetSocketAddress(policy.resolve(host).get(0), port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }
}
