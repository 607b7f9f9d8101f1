package io.lifeboat.objectstore.outbound;

import io.lifeboat.input.OutboundPolicy;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.netty.http.client.HttpClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Reactor Netty (azure-core's client, for Blob storage and Entra ID) with the {@link OutboundPolicy}: names are
 * resolved through it, and every connection checks the address it is about to open (literals skip the resolver),
 * before a packet is sent. Redirects are not followed.
 */
public final class CheckedNetty {
    private CheckedNetty() {
    }

    public static HttpClient apply(HttpClient client, OutboundPolicy policy) {
        return client.resolver(new Resolvers(policy))
                .followRedirect(false)
                .doOnChannelInit((observer, channel, remote) ->
                        channel.pipeline().addFirst("lifeboat-outbound-check", new ConnectCheck(policy)));
    }

    private static final class Resolvers extends AddressResolverGroup<InetSocketAddress> {
        private final OutboundPolicy policy;

        Resolvers(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {
                @Override
                protected void doResolve(String host, Promise<InetAddress> promise) {
                    try {
                        promise.setSuccess(policy.resolve(host).get(0));
                    } catch (Exception e) {
                        promise.setFailure(e);
                    }
                }

                @Override
                protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                    try {
                        promise.setSuccess(policy.resolve(host));
                    } catch (Exception e) {
                        promise.setFailure(e);
                    }
                }
            });
        }
    }

    private static final class ConnectCheck extends ChannelDuplexHandler {
        private final OutboundPolicy policy;

        ConnectCheck(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise)
                throws Exception {
            if (remote instanceof InetSocketAddress inet) {
                try {
                    if (inet.isUnresolved()) {
                        throw new java.net.UnknownHostException("unresolved " + inet.getHostString());
                    }
                    policy.check(inet.getHostString(), inet.getAddress());
                } catch (java.net.UnknownHostException e) {
                    promise.setFailure(e);
                    ctx.close();
                    return;
                }
            }
            super.connect(ctx, remote, local, promise);
        }
    }
}
