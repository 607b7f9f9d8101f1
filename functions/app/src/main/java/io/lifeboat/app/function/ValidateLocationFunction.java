package io.lifeboat.app.function;

import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.LocationView;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code validate-location} function. Given a project and a name, it validates that location; given neither
 * (the EventBridge schedule, every 5 minutes), it validates every location of every project.
 */
@ApplicationScoped
public class ValidateLocationFunction {
    @Inject
    LocationService locations;
    /** Each location's probe in the periodic validation; one that does not answer in time is Unavailable (Timeout). */
    @ConfigProperty(name = "lifeboat.validate.timeout", defaultValue = "30s")
    Duration timeout;
    @ConfigProperty(name = "lifeboat.validate.concurrency", defaultValue = "8")
    int concurrency;

    @Funq("validate-location")
    public Map<String, Object> validateLocation(ValidateLocationRequest request) {
        if (request == null || request.project == null || request.name == null) {
            LocationService.Validation validation = locations.validateAll(timeout, concurrency);
            return Map.of("validated", "all", "available", validation.available(), "timedOut", validation.timedOut());
        }
        Location validated = locations.validate(request.project, request.name);
        return LocationView.of(validated);
    }

    /** {@code {"project", "name"}}; an EventBridge event carries neither and means "all". */
    public static class ValidateLocationRequest {
        public String project;
        public String name;

        public ValidateLocationRequest() {
        }

        public ValidateLocationRequest(String project, String name) {
            this.project = project;
            this.name = name;
        }
    }
}
