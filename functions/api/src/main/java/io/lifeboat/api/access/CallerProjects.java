package io.lifeboat.api.access;

import java.util.Optional;

/**
 * Which projects the caller of the current request may use. Every application that serves the API provides exactly
 * one: in AWS, the claims of the JWT that API Gateway verified; in local mode, every project. There is no default,
 * so an application that forgets it does not start.
 */
public interface CallerProjects {
    /** The current caller's grant; empty when the request carries no identity at all. */
    Optional<ProjectGrant> current();
}
