package io.lifeboat.api.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProjectClaimTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[team-a team-b]|team-a,team-b",
            "team-a|team-a",
            "team-a,team-b|team-a,team-b",
            "team-a team-b|team-a,team-b",
            "[\"team-a\",\"team-b\"]|team-a,team-b",
            "[]|''",
            "'  '|''",
    })
    void readsEveryFormAnIssuerOrApiGatewayWrites(String claim, String expected) {
        Set<String> want = expected.isEmpty() ? Set.of() : Set.of(expected.split(","));
        assertEquals(want, ProjectClaim.parse(claim));
    }

    @org.junit.jupiter.api.Test
    void aMissingClaimGrantsNothing() {
        assertEquals(Set.of(), ProjectClaim.parse(null));
    }
}
