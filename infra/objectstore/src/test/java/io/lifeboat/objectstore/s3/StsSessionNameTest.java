package io.lifeboat.objectstore.s3;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StsSessionNameTest {
    @Test
    void aShortNameIsKeptAndTheLongestLocationNameFitsAssumeRolesLimit() {
        assertEquals("lifeboat-primary", S3Clients.sessionName("primary"));
        String longest = "a".repeat(63);
        assertEquals(64, S3Clients.sessionName(longest).length());
        assertEquals(("lifeboat-" + longest).substring(0, 64), S3Clients.sessionName(longest));
    }
}
