package io.lifeboat.location;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API shows of a location: every setting, with each secret replaced by "***". */
public final class LocationView {
    public static final String MASK = "***";

    private LocationView() {
    }

    public static Map<String, Object> of(Location l) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", l.name());
        view.put("project", l.project());
        view.put("provider", l.provider().wireName());
        view.put(l.provider() == Provider.AZURE ? "container" : "bucket", l.bucket());
        if (!l.prefix().isEmpty()) {
            view.put("prefix", l.prefix());
        }
        Map<String, Object> credentials = new LinkedHashMap<>();
        Map<String, Object> sts = new LinkedHashMap<>();
        l.fields().forEach((field, value) -> {
            Object shown = field.secret() ? MASK : value;
            switch (field) {
                case ACCESS_KEY_ID, SECRET_ACCESS_KEY -> credentials.put(field.key(), shown);
                case ROLE_ARN, EXTERNAL_ID -> sts.put(field.key(), shown);
                case FORCE_PATH_STYLE -> view.put(field.key(), Boolean.parseBoolean(value));
                default -> view.put(field.key(), shown);
            }
        });
        if (!credentials.isEmpty()) {
            view.put("credentials", credentials);
        }
        if (!sts.isEmpty()) {
            view.put("sts", sts);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", l.status().phase().name());
        if (l.status().reason() != null) {
            status.put("reason", l.status().reason());
        }
        status.put("message", l.status().message());
        status.put("lastValidatedAt", l.status().lastValidatedAt() == null ? null : l.status().lastValidatedAt().toString());
        view.put("status", status);
        view.put("createdAt", l.createdAt().toString());
        return view;
    }
}
