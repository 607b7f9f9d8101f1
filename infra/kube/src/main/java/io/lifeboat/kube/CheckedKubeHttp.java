package io.lifeboat.kube;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.lifeboat.input.OutboundPolicy;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.spi.transport.Transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * fabric8's HTTP client (Vert.x) for clusters, on a Vert.x whose every TCP connection checks the address it is about
 * to open against the {@link OutboundPolicy}, after DNS and before the first packet: what is checked is what is
 * connected to, so a name that rebinds is caught at each connection. fabric8's Vert.x client follows no redirect.
 */
final class CheckedKubeHttp {
    private CheckedKubeHttp() {
    }

    static HttpClient.Factory factory(OutboundPolicy policy) {
        return factory(policy, new AddressResolverOptions());
    }

    /** {@code dns} lets a test answer names from an in-memory hosts file instead of a real DNS. */
    static HttpClient.Factory factory(OutboundPolicy policy, AddressResolverOptions dns) {
        VertxOptions options = new VertxOptions()
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
                .setUseDaemonThread(true)
                .setAddressResolverOptions(dns);
        Vertx vertx = new VertxBuilder(options).findTransport(new CheckedTransport(policy)).init().vertx();
        return new VertxHttpClientFactory(vertx);
    }

    /** The JDK (NIO) transport, with client channels that check before they connect. */
    private static final class CheckedTransport implements Transport {
        private final Transport jdk = JDKTransport.INSTANCE;
        private final OutboundPolicy policy;

        CheckedTransport(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory factory, int ioRatio) {
            return jdk.eventLoopGroup(type, threads, factory, ioRatio);
        }

        @Override
        public DatagramChannel datagramChannel() {
            return jdk.datagramChannel();
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return jdk.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends io.netty.channel.Channel> channelFactory(boolean domainSocket) {
            if (domainSocket) {
                return jdk.channelFactory(true);
            }
            return () -> new CheckedChannel(policy);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return jdk.serverChannelFactory(domainSocket);
        }
    }

    private static final class CheckedChannel extends NioSocketChannel {
        private final OutboundPolicy policy;

        CheckedChannel(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        protected boolean doConnect(SocketAddress remote, SocketAddress local) throws Exception {
            if (remote instanceof InetSocketAddress inet) {
                if (inet.isUnresolved()) {
                    throw new java.net.UnknownHostException("unresolved " + inet.getHostString());
                }
                policy.check(inet.getHostString(), inet.getAddress());
            }
            return super.doConnect(remote, local);
        }
    }
}
