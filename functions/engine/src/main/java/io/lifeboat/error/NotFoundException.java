package io.lifeboat.error;

/** An unknown name: answered with 404. */
public class NotFoundException extends LifeboatException {
    public NotFoundException(String kind, String project, String name) {
        super(404, "NotFound", null, kind + " '" + name + "' does not exist in project '" + project + "'");
    }
}
