package io.lifeboat.objectstore.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for Amazon S3 on loopback, for what s3proxy answers 501 to (Object Lock): it keeps every request as the
 * SDK sent it (method, path, query, headers, the body with aws-chunked framing undone and its trailers) and answers
 * as S3 does: PutObject and UploadPart with the MD5 ETag of what arrived, the multipart calls with their XML, and any
 * other request with what {@link #answer} gives (404 NoSuchKey by default).
 */
final class S3LockRecorder implements AutoCloseable {
    record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                   Map<String, String> trailers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** A checksum header, or the same sent as a trailer after an aws-chunked body. */
        String headerOrTrailer(String name) {
            String value = header(name);
            return value != null ? value : trailers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Answer(int status, String xml) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Answers the requests that are no object write: by request, or null for the default. */
    volatile Function<Request, Answer> answer = request -> null;

    S3LockRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        byte[] raw = exchange.getRequestBody().readAllBytes();
        Map<String, String> trailers = new LinkedHashMap<>();
        byte[] body = String.valueOf(headers.get("content-encoding")).contains("aws-chunked")
                ? unchunk(raw, trailers) : raw;
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                query(exchange.getRequestURI().getRawQuery()), headers, body, trailers);
        requests.add(request);
        Answer custom = answer.apply(request);
        if (custom != null) {
            send(exchange, custom.status(), custom.xml(), null);
        } else if (request.method().equals("PUT")) {
            send(exchange, 200, "", "\"" + md5(body) + "\"");
        } else if (request.method().equals("POST") && request.query().containsKey("uploads")) {
            send(exchange, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult>"
                    + "<Bucket>locked</Bucket><Key>" + request.path().replaceFirst("^/[^/]+/", "")
                    + "</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>", null);
        } else if (request.method().equals("POST") && request.query().containsKey("uploadId")) {
            send(exchange, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult>"
                    + "<Bucket>locked</Bucket><ETag>\"done-2\"</ETag></CompleteMultipartUploadResult>", null);
        } else if (request.method().equals("DELETE")) {
            send(exchange, 204, "", null);
        } else {
            send(exchange, 404, error("NoSuchKey", "The specified key does not exist."), null);
        }
    }

    static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>0000</RequestId></Error>";
    }

    private static void send(HttpExchange exchange, int status, String xml, String etag) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (!xml.isEmpty()) {
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
        }
        if (etag != null) {
            exchange.getResponseHeaders().add("ETag", etag);
        }
        exchange.getResponseHeaders().add("x-amz-request-id", "0000");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new TreeMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** The payload of an aws-chunked body ("size[;chunk-signature=...]\r\n bytes \r\n" ... "0\r\n" trailers "\r\n"). */
    private static byte[] unchunk(byte[] raw, Map<String, String> trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(raw, at);
            String line = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(raw, at, size);
            at += size + 2;
        }
        while (at < raw.length) {
            int lineEnd = indexOfCrlf(raw, at);
            String line = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
            at = lineEnd + 2;
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        return raw.length;
    }

    static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
