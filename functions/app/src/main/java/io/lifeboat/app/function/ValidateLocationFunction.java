package io.lifeboat.app.function;

import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.LocationView;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * The {@code validate-location} function. Given a project and a name, it validates that location; given neither
 * (the EventBridge schedule, every 5 minutes), it validates every location of every project.
 */
@ApplicationScoped
public class ValidateLocationFunction {
    @Inject
    LocationService locations;

    @Funq("validate-location")
    public Map<String, Object> validateLocation(ValidateLocationRequest request) {
        if (request == null || request.project == null || request.name == null) {
            int available = locations.validateAll();
            return Map.of("validated", "all", "available", available);
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
