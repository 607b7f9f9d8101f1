package io.lifeboat.terraform;

import io.quarkus.funqy.Funq;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.SortedSet;
import java.util.jar.JarFile;

/** What the code declares, read from its classes: the Funqy functions and the REST routes. */
final class Code {
    private static final Map<Class<? extends java.lang.annotation.Annotation>, String> VERBS = Map.of(
            GET.class, "GET", POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH");

    private Code() {
    }

    /** The names of every @Funq method in io.lifeboat.app.function. */
    static SortedSet<String> funqyFunctions() {
        SortedSet<String> names = new TreeSet<>();
        for (Class<?> type : classesIn("io.lifeboat.app.function")) {
            for (Method method : type.getDeclaredMethods()) {
                Funq funq = method.getAnnotation(Funq.class);
                if (funq != null) {
                    names.add(funq.value().isEmpty() ? method.getName() : funq.value());
                }
            }
        }
        return names;
    }

    /** Every REST route in io.lifeboat.api, as API Gateway writes a route key: "GET /v1/projects/{project}/...". */
    static SortedSet<String> restRoutes() {
        SortedSet<String> routes = new TreeSet<>();
        for (Class<?> type : classesIn("io.lifeboat.api")) {
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                for (Map.Entry<Class<? extends java.lang.annotation.Annotation>, String> verb : VERBS.entrySet()) {
                    if (method.isAnnotationPresent(verb.getKey())) {
                        Path sub = method.getAnnotation(Path.class);
                        routes.add(verb.getValue() + " " + join(base.value(), sub == null ? "" : sub.value()));
                    }
                }
            }
        }
        return routes;
    }

    private static String join(String base, String sub) {
        String path = "/" + strip(base) + (sub.isEmpty() ? "" : "/" + strip(sub));
        return path.replaceAll("/+", "/");
    }

    private static String strip(String part) {
        return part.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    /** The top-level classes of one package, from a folder or a jar on the class path. */
    static List<Class<?>> classesIn(String pkg) {
        String folder = pkg.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(Code.class.getClassLoader().getResources(folder))) {
                if (url.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(entry -> entry.getName())
                                .filter(name -> name.startsWith(folder + "/") && name.endsWith(".class"))
                                .filter(name -> name.indexOf('/', folder.length() + 1) < 0)
                                .forEach(names::add);
                    }
                } else {
                    File[] files = new File(url.toURI()).listFiles((dir, name) -> name.endsWith(".class"));
                    for (File file : files == null ? new File[0] : files) {
                        names.add(folder + "/" + file.getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
            if (className.contains("$")) {
                continue;
            }
            try {
                classes.add(Class.forName(className, false, Code.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no classes found in " + pkg);
        }
        return classes;
    }
}
