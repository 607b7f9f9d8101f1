package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Every list: its items, and {@code nextToken} for the next page (absent on the last). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListView<T>(List<T> items, String nextToken) {
}
