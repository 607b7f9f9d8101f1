package io.lifeboat.api;

import io.lifeboat.app.signal.RunMdc;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Every log line of an API request carries its project and {@code function=api}; cleared when it is answered. */
public class RequestMdc {
    @ServerRequestFilter(preMatching = false, priority = 10)
    public void open(UriInfo uri) {
        MDC.put(RunMdc.FUNCTION, "api");
        String project = uri.getPathParameters().getFirst("project");
        if (project != null) {
            MDC.put(RunMdc.PROJECT, project);
        }
    }

    @ServerResponseFilter
    public void close() {
        MDC.remove(RunMdc.FUNCTION);
        MDC.remove(RunMdc.PROJECT);
    }
}
