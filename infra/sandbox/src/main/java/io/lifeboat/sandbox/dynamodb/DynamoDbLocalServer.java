package io.lifeboat.sandbox.dynamodb;

import io.lifeboat.sandbox.Ports;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** DynamoDB Local as an HTTP server on loopback, in this JVM. In memory, or in a folder kept between runs. */
public final class DynamoDbLocalServer implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static DynamoDbLocalServer inMemory() {
        return start(Ports.free(), null);
    }

    /** Starts on the port (0 for a free one), keeping data under the folder when it is not null. */
    public static DynamoDbLocalServer start(int port, Path dataFolder) {
        int chosen = port != 0 ? port : Ports.free();
        List<String> args = new ArrayList<>(List.of("-port", String.valueOf(chosen), "-disableTelemetry"));
        try {
            if (dataFolder == null) {
                args.add("-inMemory");
            } else {
                Files.createDirectories(dataFolder);
                args.addAll(List.of("-dbPath", dataFolder.toAbsolutePath().toString(), "-sharedDb"));
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            bindToLoopback(server);
            server.start();
            return new DynamoDbLocalServer(server, chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
        }
    }

    /** DynamoDB Local's Jetty listens on every interface by default; a sandbox must not. */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setHost("127.0.0.1");
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
