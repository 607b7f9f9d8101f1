package io.lifeboat.objectstore.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session policy each assumed-role session of a location carries, for hostile prefixes too. */
class SessionPolicyTest {
    private static JsonNode statement(String policy, String action) throws Exception {
        for (JsonNode st : new ObjectMapper().readTree(policy).path("Statement")) {
            for (JsonNode a : st.path("Action")) {
                if (a.asText().equals(action)) {
                    return st;
                }
            }
        }
        throw new AssertionError(action + " is not in " + policy);
    }

    @Test
    void theEmptyPrefixIsTheWholeBucketAndListingNeedsNoCondition() throws Exception {
        String policy = SessionPolicy.of("eu-west-1", "backups", "");
        assertEquals("arn:aws:s3:::backups/*", statement(policy, "s3:PutObject").path("Resource").asText());
        assertTrue(statement(policy, "s3:ListBucket").path("Condition").isMissingNode());
    }

    @Test
    void nestedPrefixesAreCoveredBySegmentsAndNotBySiblings() throws Exception {
        String policy = SessionPolicy.of("us-east-1", "backups", "team-a/prod");
        assertEquals("arn:aws:s3:::backups/team-a/prod/*", statement(policy, "s3:DeleteObject").path("Resource").asText());
        assertEquals("team-a/prod/*", statement(policy, "s3:ListBucket").path("Condition").path("StringLike")
                .path("s3:prefix").asText());
    }

    /** A prefix's own '*', '?' and '$' are IAM wildcards and variables unless escaped: "team-*" must not cover "team-a". */
    @Test
    void wildcardsAndPolicyVariablesInThePrefixAreLiterals() throws Exception {
        assertEquals("arn:aws:s3:::backups/team-${*}/*",
                statement(SessionPolicy.of("us-east-1", "backups", "team-*"), "s3:GetObject").path("Resource").asText());
        assertEquals("a${?}b/*", statement(SessionPolicy.of("us-east-1", "backups", "a?b"), "s3:ListBucket")
                .path("Condition").path("StringLike").path("s3:prefix").asText());
        assertEquals("arn:aws:s3:::backups/${$}{aws:username}/*", statement(SessionPolicy.of("us-east-1", "backups",
                "${aws:username}"), "s3:GetObject").path("Resource").asText());
        String quoted = SessionPolicy.of("us-east-1", "backups", "a\",\"Resource\":\"*");
        assertEquals("arn:aws:s3:::backups/a\",\"Resource\":\"${*}/*", statement(quoted, "s3:GetObject").path("Resource").asText());
    }

    @Test
    void theSnapshotActionsStayAsTheRoleGrantsThem() throws Exception {
        String policy = SessionPolicy.of("us-east-1", "backups", "p");
        for (String action : SessionPolicy.SNAPSHOT_ACTIONS) {
            assertEquals("*", statement(policy, action).path("Resource").asText(), action);
        }
        assertFalse(policy.contains("s3:*"));
    }

    /** An immutable location writes with retention, reads it, lists versions and deletes them, all under its prefix. */
    @Test
    void theObjectLockActionsAreLimitedToThePrefixLikeTheOthers() throws Exception {
        String policy = SessionPolicy.of("us-east-1", "backups", "team-a");
        for (String action : List.of("s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObjectVersion")) {
            assertEquals("arn:aws:s3:::backups/team-a/*", statement(policy, action).path("Resource").asText(), action);
        }
        assertEquals("team-a/*", statement(policy, "s3:ListBucketVersions").path("Condition").path("StringLike")
                .path("s3:prefix").asText());
        assertEquals("arn:aws:s3:::backups", statement(policy, "s3:GetBucketObjectLockConfiguration").path("Resource")
                .asText());
        assertFalse(policy.contains("BypassGovernanceRetention"), "a session never lifts a lock");
    }

    @Test
    void otherPartitionsGetTheirOwnArns() throws Exception {
        assertEquals("arn:aws-cn:s3:::b-1", statement(SessionPolicy.of("cn-north-1", "b-1", ""), "s3:ListBucket")
                .path("Resource").asText());
        assertEquals("arn:aws-us-gov:s3:::b-1", statement(SessionPolicy.of("us-gov-west-1", "b-1", ""),
                "s3:ListBucket").path("Resource").asText());
    }

    @Test
    void theLongestPlainPrefixFitsAndOneThatCannotIsRefused() {
        String bucket = "b".repeat(63);
        assertTrue(SessionPolicy.of("us-east-1", bucket, "p".repeat(512)).length() <= SessionPolicy.MAX_LENGTH);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionPolicy.of("us-east-1", bucket, "*".repeat(512)));
        assertTrue(e.getMessage().contains("shorter prefix"), e.getMessage());
    }
}
