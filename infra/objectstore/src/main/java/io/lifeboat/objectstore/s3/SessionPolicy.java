package io.lifeboat.objectstore.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The inline session policy every assumed-role session of a location carries (AssumeRole's {@code Policy}). AWS grants
 * a session the intersection of the role's policy and this one, so a role shared by every project reaches, in each
 * session, only the location's own {@code bucket/prefix/*}: objects under the prefix, listing under it, the bucket's
 * region (and, for an immutable location, the retention of those objects, their versions and the bucket's Object Lock
 * configuration). The EC2 snapshot actions the role carries are kept as the role grants them (Resource "*" here: the role's
 * own resources and conditions still apply).
 *
 * <p>IAM reads {@code *}, {@code ?} and {@code ${...}} in resources and {@code StringLike} values as wildcards and
 * variables, so the prefix's own {@code *}, {@code ?} and {@code $} are written as IAM's escapes {@code ${*}},
 * {@code ${?}}, {@code ${$}}: a prefix "team-*" covers that literal folder, not "team-a".
 */
public final class SessionPolicy {
    /** AssumeRole refuses a plain-text session policy longer than this. */
    public static final int MAX_LENGTH = 2048;
    /**
     * What a location does with its objects; the retention and version actions are what an immutable location needs
     * (objects written with Object Lock retention, their retention read, locked versions deleted once released).
     */
    static final List<String> OBJECT_ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload", "s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObjectVersion");
    /** Listing under the prefix: the objects, and their versions (an immutable location's deletes). */
    static final List<String> LIST_ACTIONS = List.of("s3:ListBucket", "s3:ListBucketVersions");
    /** The bucket's region, and whether it has Object Lock (the validation of an immutable location). */
    static final List<String> BUCKET_ACTIONS = List.of("s3:GetBucketLocation", "s3:GetBucketObjectLockConfiguration");
    /** Native disk snapshots; DescribeInstances tells whether a restore's target nodes are the account's. */
    static final List<String> SNAPSHOT_ACTIONS = List.of("ec2:DescribeVolumes", "ec2:DescribeSnapshots",
            "ec2:DescribeInstances", "ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:CreateVolume", "ec2:CreateTags");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionPolicy() {
    }

    /** The policy for a location in {@code region} on {@code bucket} under {@code prefix} (empty: the whole bucket). */
    public static String of(String region, String bucket, String prefix) {
        String bucketArn = "arn:" + partition(region) + ":s3:::" + bucket;
        String under = prefix == null || prefix.isEmpty() ? "*" : escape(prefix) + "/*";
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        statement(statements, OBJECT_ACTIONS, bucketArn + "/" + under);
        ObjectNode list = statement(statements, LIST_ACTIONS, bucketArn);
        if (!under.equals("*")) {
            list.putObject("Condition").putObject("StringLike").put("s3:prefix", under);
        }
        statement(statements, BUCKET_ACTIONS, bucketArn);
        statement(statements, SNAPSHOT_ACTIONS, "*");
        String json = policy.toString();
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the session policy of bucket '" + bucket + "' and this prefix is "
                    + json.length() + " characters, more than the " + MAX_LENGTH + " AssumeRole takes: use a shorter prefix");
        }
        return json;
    }

    private static ObjectNode statement(ArrayNode statements, List<String> actions, String resource) {
        ObjectNode statement = statements.addObject().put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        actions.forEach(list::add);
        statement.put("Resource", resource);
        return statement;
    }

    /** IAM's escapes for the characters it would otherwise read as wildcards or a variable. */
    static String escape(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (char c : literal.toCharArray()) {
            switch (c) {
                case '*' -> out.append("${*}");
                case '?' -> out.append("${?}");
                case '$' -> out.append("${$}");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, aws otherwise. */
    static String partition(String region) {
        if (region != null && region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region != null && region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }
}
