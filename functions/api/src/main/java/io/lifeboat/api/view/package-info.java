/**
 * What the API answers: one record per resource, each {@code {name, project, createdAt, spec, status}} (spec: what
 * was asked; status: what Lifeboat observed), and {@link io.lifeboat.api.view.ListView} for every list. Absent
 * values are left out, never sent as null.
 */
package io.lifeboat.api.view;
