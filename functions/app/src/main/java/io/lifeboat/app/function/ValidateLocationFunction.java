package io.lifeboat.app.function;

import io.lifeboat.app.signal.RunMdc;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.LocationStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

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
    public Result validateLocation(ValidateLocationRequest request) {
        boolean all = request == null || request.project == null || request.name == null;
        try (RunMdc mdc = RunMdc.open("validate-location", all ? null : request.project, "run", all ? "all" : request.name)) {
            return all ? validateAll() : validateOne(request);
        }
    }

    private Result validateAll() {
        int[] imported = {0};
        LocationService.Validation validation = locations.validateAll(timeout, concurrency, location -> {
            Sync sync = sync(location);
            if (sync.report() != null) {
                imported[0] += sync.report().imported().size();
            }
        });
        return new Result("all", null, null, null, null, validation.available(), validation.timedOut(), imported[0]);
    }

    private Result validateOne(ValidateLocationRequest request) {
        Location validated = locations.validate(request.project, request.name);
        Sync sync = validated.status().phase() == LocationStatus.Phase.Available ? sync(validated) : null;
        return new Result("one", request.project, request.name, validated.status(), sync, null, null, null);
    }

    /**
     * What one call did ({@code validated}: "one" or "all"): for one location, its status and the sync that followed
     * (when Available); for all of them (the schedule), how many were Available, which timed out, and how many
     * backups were imported.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String validated, String project, String name, LocationStatus status, Sync sync, Integer available,
                         List<String> timedOut, Integer imported) {
    }

    /** The sync's report, or why it failed (a failed sync does not fail the validation). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sync(VeleroBackupSync.Report report, String error) {
    }

    /** A sync that fails does not fail the validation: it says why, and the next validation tries again. */
    private Sync sync(Location location) {
        try {
            VeleroBackupSync.Report report = veleroSync.sync(location);
            if (!report.imported().isEmpty() || !report.skipped().isEmpty()) {
                LOG.infof("location %s/%s: %d Velero backups imported, %d skipped", location.project(), location.name(),
                        report.imported().size(), report.skipped().size());
            }
            return new Sync(report, null);
        } catch (RuntimeException e) {
            LOG.warnf("location %s/%s could not be synced: %s", location.project(), location.name(), e.getMessage());
            return new Sync(null, String.valueOf(e.getMessage()));
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
