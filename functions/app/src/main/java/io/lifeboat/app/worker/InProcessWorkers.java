package io.lifeboat.app.worker;

import io.lifeboat.app.function.ValidateLocationFunction;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** Runs the functions in this process: local mode and tests. */
@ApplicationScoped
@DefaultBean
public class InProcessWorkers implements Workers {
    @Inject
    ValidateLocationFunction validateLocation;

    @Override
    public Map<String, Object> validateLocation(String project, String name) {
        return validateLocation.validateLocation(new ValidateLocationFunction.ValidateLocationRequest(project, name));
    }
}
