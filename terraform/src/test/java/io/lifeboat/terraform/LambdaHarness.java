package io.lifeboat.terraform;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Lambda's Java runtime does with a zip, in a child JVM whose class path is the unzipped zip (its root and
 * lib/*): load the handler Terraform names, then call {@code handleRequest(InputStream, OutputStream, Context)} with
 * each event, as warm invocations of one execution environment. Arguments: the handler ("class::method"), then event
 * files; each response goes to the event's file name plus ".response".
 */
public final class LambdaHarness {
    private LambdaHarness() {
    }

    public static void main(String[] args) throws Exception {
        String[] handler = args[0].split("::");
        ClassLoader loader = LambdaHarness.class.getClassLoader();
        Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
        Class<?> loggerType = loader.loadClass("com.amazonaws.services.lambda.runtime.LambdaLogger");
        Object logger = Proxy.newProxyInstance(loader, new Class<?>[]{loggerType}, (proxy, method, arguments) -> {
            if (method.getName().equals("log") && arguments != null && arguments[0] instanceof String line) {
                System.err.println(line);
            }
            return null;
        });
        Object context = Proxy.newProxyInstance(loader, new Class<?>[]{contextType}, (proxy, method, arguments) ->
                switch (method.getName()) {
                    case "getAwsRequestId" -> "harness-request-1";
                    case "getFunctionName" -> System.getenv("AWS_LAMBDA_FUNCTION_NAME");
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 512;
                    case "getLogger" -> logger;
                    default -> null;
                });
        Class<?> type = loader.loadClass(handler[0]);
        Object instance = type.getDeclaredConstructor().newInstance();
        Method handle = type.getMethod(handler[1], InputStream.class, OutputStream.class, contextType);
        for (int i = 1; i < args.length; i++) {
            try (InputStream event = Files.newInputStream(Path.of(args[i]));
                 OutputStream response = Files.newOutputStream(Path.of(args[i] + ".response"))) {
                handle.invoke(instance, event, response, context);
            }
        }
        System.exit(0);
    }
}
