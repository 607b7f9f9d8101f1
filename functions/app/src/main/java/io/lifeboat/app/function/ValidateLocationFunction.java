package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.LocationView;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code validate-location} function. Given a project and a name, it validates that location; given neither
 * (the EventBridge schedule, every 5 minutes), it validates every location of every project. Each location found
 * Available is then synced: the backups Velero wrote there that Lifeboat does not know yet are imported.
 */
@ApplicationScoped
public class ValidateLocationFunction {
    private static final Logger LOG = Logger.getLogger(ValidateLocationFunction.class);

    @Inject
    LocationService locations;
    /** Each location's probe in the periodic validation; one that does not answer in time is Unavailable (Timeout). */
    @ConfigProperty(name = "lifeboat.validate.timeout", defaultValue = "30s")
    Duration timeout;
    @ConfigProperty(name = "lifeboat.validate.concurrency", defaultValue = "8")
    int concurrency;
    @Inject
    VeleroBackupSync veleroSync;

    @Funq("validate-location")
    public Map<String, Object> validateLocation(ValidateLocationRequest request) {
        boolean all = request == null || request.project == null || request.name == null;
        try (RunMdc mdc = RunMdc.open("validate-location", all ? null : request.project, "run", all ? "all" : request.name)) {
            return all ? validateAll() : validateOne(request);
        }
    }

    private Map<String, Object> validateAll() {
        int[] imported = {0};
        LocationService.Validation validation = locations.validateAll(timeout, concurrency, location -> {
            if (sync(location) instanceof VeleroBackupSync.Report r) {
                imported[0] += r.imported().size();
            }
        });
        return Map.of("validated", "all", "available", validation.available(), "timedOut", validation.timedOut(),
                "imported", imported[0]);
    }

    private Map<String, Object> validateOne(ValidateLocationRequest request) {
        Location validated = locations.validate(request.project, request.name);
        Map<String, Object> view = new LinkedHashMap<>(LocationView.of(validated));
        if (validated.status().phase() == LocationStatus.Phase.Available) {
            view.put("sync", sync(validated));
        }
        return view;
    }

    /** A sync that fails does not fail the validation: it says why, and the next validation tries again. */
    private Object sync(Location location) {
        try {
            VeleroBackupSync.Report report = veleroSync.sync(location);
            if (!report.imported().isEmpty() || !report.skipped().isEmpty()) {
                LOG.infof("location %s/%s: %d Velero backups imported, %d skipped", location.project(), location.name(),
                        report.imported().size(), report.skipped().size());
            }
            return report;
        } catch (RuntimeException e) {
            LOG.warnf("location %s/%s could not be synced: %s", location.project(), location.name(), e.getMessage());
            return Map.of("error", String.valueOf(e.getMessage()));
        }
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
