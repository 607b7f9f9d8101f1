package io.lifeboat.app.function;

/**
 * What run-backup and run-restore answer: the record they ran, and its phase when they ended ({@code Gone} when the
 * record no longer exists). The record itself is read through the API.
 */
public record RunResult(String project, String name, String phase) {
    static RunResult of(String project, String name, Enum<?> phase) {
        return new RunResult(project, name, phase == null ? "Gone" : phase.name());
    }
}
