package io.lifeboat.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * terraform init, validate and plan, offline, and the plan read against the code: every Funqy function has its Lambda
 * and a trigger, every REST route has an API Gateway route, every table and index exists, and no role has a wildcard
 * action.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformPlanTest {
    private static final String PREFIX = "lifeboat";
    private static final String ALIAS = "live";
    private static final String FUNQY_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";

    private Terraform.Result validate;
    private Plan plan;
    private OfflinePlan offline;

    @BeforeAll
    void plan() {
        offline = OfflinePlan.get();
        validate = offline.validate;
        plan = offline.plan;
    }

    @Test
    void theConfigurationIsValid() {
        assertEquals(0, validate.exitCode(), validate.output());
    }

    @Test
    void aPlanCreatesEveryPartOfTheDeployment() {
        Set<String> expected = Set.of("aws_dynamodb_table", "aws_kms_key", "aws_kms_alias", "aws_s3_bucket",
                "aws_s3_object", "aws_lambda_function", "aws_lambda_alias", "aws_cloudwatch_log_group",
                "aws_sqs_queue", "aws_lambda_function_event_invoke_config", "aws_apigatewayv2_api",
                "aws_apigatewayv2_authorizer", "aws_apigatewayv2_integration", "aws_apigatewayv2_route",
                "aws_apigatewayv2_stage", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
                "aws_lambda_permission", "aws_iam_role", "aws_iam_role_policy");
        Set<String> created = plan.createdTypes();
        assertTrue(created.containsAll(expected), "missing: " + difference(expected, created));
        for (JsonNode change : plan.managedChanges()) {
            assertEquals("[\"create\"]", change.path("change").path("actions").toString(), change.path("address").asText());
        }
    }

    @Test
    void everyFunqyFunctionIsALambdaWithItsExportAndATrigger() {
        SortedSet<String> functions = Code.funqyFunctions();
        assertEquals(Set.of("validate-location", "run-backup", "run-restore", "tick-schedules", "sweep-expired"), functions);
        Map<String, JsonNode> lambdas = plan.lambdas();
        JsonNode api = lambdas.get(PREFIX + "-api");
        assertTrue(api != null, "no API Lambda among " + lambdas.keySet());

        for (String function : functions) {
            JsonNode lambda = lambdas.get(PREFIX + "-" + function);
            assertTrue(lambda != null, function + " has no Lambda");
            assertEquals(FUNQY_HANDLER, lambda.path("handler").asText(), function);
            assertEquals(function, Plan.environment(lambda).get("QUARKUS_FUNQY_EXPORT"), function);
            assertEquals("java17", lambda.path("runtime").asText(), function);

            String deployed = PREFIX + "-" + function;
            boolean scheduled = scheduledBy(deployed).isPresent();
            boolean startedByTheApi = Plan.environment(api).containsValue(deployed + ":" + ALIAS);
            assertTrue(scheduled || startedByTheApi, function + " has no trigger: no EventBridge rule, and the API does not name it");
        }
        assertEquals(Optional.of("rate(1 minute)"), scheduledBy(PREFIX + "-tick-schedules"));
        assertEquals(Optional.of("rate(1 hour)"), scheduledBy(PREFIX + "-sweep-expired"));
        assertEquals(Optional.of("rate(5 minutes)"), scheduledBy(PREFIX + "-validate-location"));
        // The names the API and tick-schedules start workers by are the names Terraform gave them.
        for (JsonNode lambda : lambdas.values()) {
            Map<String, String> environment = Plan.environment(lambda);
            assertEquals(PREFIX + "-run-backup:" + ALIAS, environment.get("LIFEBOAT_LAMBDA_RUN_BACKUP"));
            assertEquals(PREFIX + "-run-restore:" + ALIAS, environment.get("LIFEBOAT_LAMBDA_RUN_RESTORE"));
            assertEquals(PREFIX + "-validate-location:" + ALIAS, environment.get("LIFEBOAT_LAMBDA_VALIDATE_LOCATION"));
            assertEquals("lambda", environment.get("LIFEBOAT_WORKERS"));
        }
    }

    /** The schedule expression of the EventBridge rule that invokes {@code function}'s alias, if any. */
    private Optional<String> scheduledBy(String function) {
        for (JsonNode permission : plan.resources("aws_lambda_permission")) {
            if (permission.path("function_name").asText().equals(function)
                    && permission.path("principal").asText().equals("events.amazonaws.com")
                    && permission.path("qualifier").asText().equals(ALIAS)) {
                for (JsonNode rule : plan.resources("aws_cloudwatch_event_rule")) {
                    if (rule.path("name").asText().equals(function)) {
                        boolean targeted = plan.resources("aws_cloudwatch_event_target").stream()
                                .anyMatch(target -> target.path("rule").asText().equals(function));
                        assertTrue(targeted, "rule " + function + " has no target");
                        return Optional.of(rule.path("schedule_expression").asText());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Every REST route is behind the JWT authorizer; the only routes without it are the web console's files and
     * settings (GETs, none under /v1), which the same function serves.
     */
    @Test
    void everyRestRouteHasAnApiGatewayRouteBehindTheJwtAuthorizer() {
        SortedSet<String> code = Code.restRoutes();
        SortedSet<String> deployed = new TreeSet<>();
        SortedSet<String> open = new TreeSet<>();
        for (JsonNode route : plan.resources("aws_apigatewayv2_route")) {
            String key = route.path("route_key").asText();
            if (route.path("authorization_type").asText().equals("JWT")) {
                deployed.add(key);
            } else {
                assertEquals("NONE", route.path("authorization_type").asText(), key);
                open.add(key);
            }
        }
        assertEquals(code, deployed, "in the code only: " + difference(code, deployed)
                + "; in Terraform only: " + difference(deployed, code));
        assertEquals(new TreeSet<>(Set.of("GET /", "GET /assets/{proxy+}", "GET /console-config.json")), open,
                "only the console's files and settings are open");
        for (String key : open) {
            assertTrue(key.startsWith("GET /") && !key.startsWith("GET /v1"), key);
        }

        JsonNode authorizer = plan.resources("aws_apigatewayv2_authorizer").get(0);
        assertEquals("JWT", authorizer.path("authorizer_type").asText());
        JsonNode jwt = authorizer.path("jwt_configuration").get(0);
        assertEquals(OfflinePlan.JWT_ISSUER, jwt.path("issuer").asText());
        assertEquals("[\"" + OfflinePlan.JWT_AUDIENCE + "\"]", jwt.path("audience").toString());
        JsonNode integration = plan.resources("aws_apigatewayv2_integration").get(0);
        assertEquals("2.0", integration.path("payload_format_version").asText());
    }

    @Test
    void everyTableAndIndexTheCodeUsesExists() {
        Map<String, JsonNode> deployed = new TreeMap<>();
        plan.resources("aws_dynamodb_table").forEach(table -> deployed.put(table.path("name").asText(), table));
        List<CreateTableRequest> code = new Tables(PREFIX + "-").definitions();
        assertEquals(code.stream().map(CreateTableRequest::tableName).collect(TreeSet::new, Set::add, Set::addAll),
                deployed.keySet());
        for (CreateTableRequest wanted : code) {
            JsonNode table = deployed.get(wanted.tableName());
            String name = wanted.tableName();
            assertEquals(key(wanted.keySchema(), KeyType.HASH), table.path("hash_key").asText(), name);
            assertEquals(key(wanted.keySchema(), KeyType.RANGE), table.path("range_key").asText(""), name);
            Map<String, String> attributes = new TreeMap<>();
            table.path("attribute").forEach(a -> attributes.put(a.path("name").asText(), a.path("type").asText()));
            Map<String, String> wantedAttributes = new TreeMap<>();
            for (AttributeDefinition a : wanted.attributeDefinitions()) {
                wantedAttributes.put(a.attributeName(), a.attributeTypeAsString());
            }
            assertEquals(wantedAttributes, attributes, name);
            Map<String, String> indexes = new TreeMap<>();
            table.path("global_secondary_index").forEach(index -> indexes.put(index.path("name").asText(),
                    index.path("hash_key").asText() + "/" + index.path("range_key").asText() + "/"
                            + index.path("projection_type").asText()));
            Map<String, String> wantedIndexes = new TreeMap<>();
            for (GlobalSecondaryIndex index : wanted.globalSecondaryIndexes()) {
                wantedIndexes.put(index.indexName(), key(index.keySchema(), KeyType.HASH) + "/"
                        + key(index.keySchema(), KeyType.RANGE) + "/" + index.projection().projectionTypeAsString());
            }
            assertEquals(wantedIndexes, indexes, name);
            assertEquals("PAY_PER_REQUEST", table.path("billing_mode").asText(), name);
            assertTrue(table.path("point_in_time_recovery").get(0).path("enabled").asBoolean(), name);
            assertTrue(table.path("server_side_encryption").get(0).path("enabled").asBoolean(), name);
        }
        for (JsonNode lambda : plan.lambdas().values()) {
            assertEquals(PREFIX + "-", Plan.environment(lambda).get("LIFEBOAT_TABLES_PREFIX"));
        }
    }

    private static String key(List<KeySchemaElement> schema, KeyType type) {
        return schema.stream().filter(k -> k.keyType() == type).map(KeySchemaElement::attributeName).findFirst().orElse("");
    }

    @Test
    void noRoleHasAWildcardActionAndEachHasOnlyWhatItsFunctionDoes() {
        Map<String, Set<String>> byFunction = new TreeMap<>();
        Map<String, List<JsonNode>> statementsByFunction = new TreeMap<>();
        Set<String> backupLocation = new TreeSet<>();
        for (JsonNode document : plan.dataSources("aws_iam_policy_document")) {
            String address = document.path("address").asText();
            for (JsonNode statement : document.path("values").path("statement")) {
                assertTrue(statement.path("not_actions").isNull() || statement.path("not_actions").isEmpty(), address);
                for (JsonNode action : statement.path("actions")) {
                    assertFalse(action.asText().contains("*"), address + " allows " + action.asText());
                    if (document.path("name").asText().equals("backup_location")) {
                        backupLocation.add(action.asText());
                    } else if (document.has("index") && document.path("index").isTextual()) {
                        byFunction.computeIfAbsent(document.path("index").asText(), k -> new TreeSet<>()).add(action.asText());
                    }
                }
                if (document.path("index").isTextual()) {
                    statementsByFunction.computeIfAbsent(document.path("index").asText(), k -> new ArrayList<>()).add(statement);
                }
            }
        }
        Set<String> functions = new TreeSet<>(Code.funqyFunctions());
        functions.add("api");
        assertEquals(functions, byFunction.keySet());
        assertEquals(functions.size() + 1, plan.resources("aws_iam_role").size(), "one role per function, and the backup-location role");

        // Only the API seals new secrets; every function that opens a location or a cluster may decrypt them.
        byFunction.forEach((function, allowed) -> assertEquals(function.equals("api"), allowed.contains("kms:GenerateDataKey"), function));
        for (String function : List.of("api", "validate-location", "run-backup", "run-restore", "sweep-expired")) {
            assertTrue(statementsByFunction.get(function).stream().anyMatch(
                    st -> st.path("actions").toString().contains("kms:Decrypt") && st.path("condition").isEmpty()), function);
        }
        // The minute tick reads statuses, never secrets: it may decrypt only through DynamoDB (the tables' key).
        for (JsonNode statement : statementsByFunction.get("tick-schedules")) {
            if (statement.path("actions").toString().contains("kms:")) {
                assertEquals("kms:ViaService", statement.path("condition").path(0).path("variable").asText(), statement.toString());
                assertTrue(statement.path("condition").path(0).path("values").path(0).asText().startsWith("dynamodb."));
            }
        }
        // STS locations are opened by everything that touches a bucket; the tick never does. No function role
        // touches a bucket or a snapshot itself: locations bring their own keys, or a role to assume.
        assertFalse(byFunction.get("tick-schedules").contains("sts:AssumeRole"));
        assertTrue(byFunction.get("run-backup").contains("sts:AssumeRole"));
        byFunction.forEach((function, allowed) -> assertTrue(
                allowed.stream().noneMatch(a -> a.startsWith("s3:") || a.startsWith("ec2:")), function + ": " + allowed));
        // Palette's backup policy, on the backup-location role that AWS locations name.
        assertEquals(Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "ec2:DescribeVolumes", "ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:CreateTags",
                "ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DeleteSnapshot"), backupLocation);
        JsonNode trust = plan.dataSources("aws_iam_policy_document").stream()
                .filter(d -> d.path("name").asText().equals("backup_location_trust")).findFirst().orElseThrow()
                .path("values").path("statement").path(0);
        assertEquals("sts:ExternalId", trust.path("condition").path(0).path("variable").asText());
        assertEquals(OfflinePlan.EXTERNAL_ID, trust.path("condition").path(0).path("values").path(0).asText());

        assertTrue(byFunction.get("api").contains("lambda:InvokeFunction"));
        assertTrue(byFunction.get("tick-schedules").contains("lambda:InvokeFunction"));
        assertFalse(byFunction.get("run-backup").contains("lambda:InvokeFunction"));
    }

    @Test
    void runBackupAndRunRestoreHaveReservedConcurrencyAndTheOthersShareTheAccounts() {
        Map<String, JsonNode> lambdas = plan.lambdas();
        assertEquals(100, lambdas.get(PREFIX + "-run-backup").path("reserved_concurrent_executions").asInt());
        assertEquals(20, lambdas.get(PREFIX + "-run-restore").path("reserved_concurrent_executions").asInt());
        for (String shared : List.of("api", "validate-location", "tick-schedules", "sweep-expired")) {
            assertEquals(-1, lambdas.get(PREFIX + "-" + shared).path("reserved_concurrent_executions").asInt(), shared);
        }
    }

    @Test
    void theLongWorkersGetFifteenMinutesSnapStartAndADeadLetterQueue() {
        Map<String, JsonNode> lambdas = plan.lambdas();
        assertEquals(900, lambdas.get(PREFIX + "-run-backup").path("timeout").asInt());
        assertEquals(900, lambdas.get(PREFIX + "-run-restore").path("timeout").asInt());
        for (String snapStarted : List.of("api", "validate-location", "run-backup", "tick-schedules", "sweep-expired")) {
            JsonNode lambda = lambdas.get(PREFIX + "-" + snapStarted);
            assertEquals("PublishedVersions", lambda.path("snap_start").path(0).path("apply_on").asText(), snapStarted);
        }
        // run-restore spools to /tmp, beyond the 512 MB SnapStart allows.
        JsonNode restore = lambdas.get(PREFIX + "-run-restore");
        assertTrue(restore.path("snap_start").isEmpty(), restore.path("snap_start").toString());
        assertTrue(restore.path("ephemeral_storage").path(0).path("size").asInt() > 512);
        for (JsonNode lambda : lambdas.values()) {
            assertTrue(lambda.path("publish").asBoolean(), lambda.path("function_name").asText());
        }

        Set<String> aliases = new TreeSet<>();
        plan.resources("aws_lambda_alias").forEach(alias -> {
            assertEquals(ALIAS, alias.path("name").asText());
            aliases.add(alias.path("function_name").asText());
        });
        assertEquals(lambdas.keySet(), aliases);

        Set<String> withDeadLetters = new TreeSet<>();
        for (JsonNode config : plan.resources("aws_lambda_function_event_invoke_config")) {
            assertEquals(ALIAS, config.path("qualifier").asText());
            assertEquals(1, config.path("destination_config").path(0).path("on_failure").size());
            withDeadLetters.add(config.path("function_name").asText());
        }
        Set<String> workers = new TreeSet<>();
        Code.funqyFunctions().forEach(function -> workers.add(PREFIX + "-" + function));
        assertEquals(workers, withDeadLetters);
        assertEquals(1, plan.resources("aws_sqs_queue").size());

        Set<String> logGroups = new TreeSet<>();
        plan.resources("aws_cloudwatch_log_group").forEach(group -> {
            assertTrue(group.path("retention_in_days").asInt() > 0, group.path("name").asText());
            logGroups.add(group.path("name").asText());
        });
        lambdas.keySet().forEach(name -> assertTrue(logGroups.contains("/aws/lambda/" + name), name));
    }

    @Test
    void allowedPrivateCidrsReachEveryFunctionAndNoneAreAllowedByDefault() {
        for (JsonNode lambda : plan.resources("aws_lambda_function")) {
            assertEquals("", Plan.environment(lambda).get("LIFEBOAT_OUTBOUND_ALLOWED_PRIVATE_CIDRS"),
                    lambda.path("function_name").asText());
        }
        Plan allowing = offline.plan("private.plan", "allowed_private_cidrs=[\"10.20.0.0/16\",\"fd12::/16\"]");
        List<JsonNode> lambdas = allowing.resources("aws_lambda_function");
        assertEquals(6, lambdas.size());
        for (JsonNode lambda : lambdas) {
            assertEquals("10.20.0.0/16,fd12::/16", Plan.environment(lambda).get("LIFEBOAT_OUTBOUND_ALLOWED_PRIVATE_CIDRS"),
                    lambda.path("function_name").asText());
        }
    }

    /**
     * Protected locations, in one plan with both variables set. The KMS keys encrypted locations name: the functions
     * that make or open a backup's data key may use them, only with a backup's (or a probe's) encryption context; the
     * tick and the sweep may not. The Object Lock buckets: only there may the backup-location role write and read
     * retention and delete object versions. Without either variable, neither grant.
     */
    @Test
    void protectedLocationsGetKeysAndObjectLockOnlyWhereListed() {
        String key = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        Plan keyed = offline.plan("protected.plan", "backup_kms_key_arns=[\"" + key + "\"]",
                "immutable_bucket_names=[\"lifeboat-locked\"]");
        Map<String, JsonNode> lock = new TreeMap<>();
        for (JsonNode document : keyed.dataSources("aws_iam_policy_document")) {
            if (document.path("name").asText().equals("backup_location")) {
                for (JsonNode statement : document.path("values").path("statement")) {
                    lock.put(statement.path("sid").asText(), statement);
                }
            }
        }
        assertEquals("[\"s3:GetBucketObjectLockConfiguration\",\"s3:ListBucketVersions\"]",
                sorted(lock.get("ObjectLockBuckets").path("actions")));
        assertEquals("[\"arn:aws:s3:::lifeboat-locked\"]", lock.get("ObjectLockBuckets").path("resources").toString());
        assertEquals("[\"s3:DeleteObjectVersion\",\"s3:GetObjectRetention\",\"s3:PutObjectRetention\"]",
                sorted(lock.get("ObjectLockObjects").path("actions")));
        assertEquals("[\"arn:aws:s3:::lifeboat-locked/*\"]", lock.get("ObjectLockObjects").path("resources").toString());
        assertFalse(lock.values().toString().contains("BypassGovernanceRetention"), "a lock is never lifted");
        Map<String, JsonNode> granted = new TreeMap<>();
        for (JsonNode document : keyed.dataSources("aws_iam_policy_document")) {
            for (JsonNode statement : document.path("values").path("statement")) {
                if (statement.path("sid").asText().equals("BackupDataKeys")) {
                    granted.put(document.path("index").asText(), statement);
                }
            }
        }
        assertEquals(Set.of("api", "validate-location", "run-backup", "run-restore"), granted.keySet());
        for (JsonNode statement : granted.values()) {
            assertEquals("[\"kms:Decrypt\",\"kms:GenerateDataKey\"]", sorted(statement.path("actions")));
            assertEquals("[\"" + key + "\"]", statement.path("resources").toString());
            JsonNode condition = statement.path("condition").path(0);
            assertEquals("kms:EncryptionContext:lifeboat:backup", condition.path("variable").asText());
            assertEquals("[\"*/*\"]", condition.path("values").toString());
        }
        for (JsonNode document : plan.dataSources("aws_iam_policy_document")) {
            for (JsonNode statement : document.path("values").path("statement")) {
                assertFalse(statement.path("sid").asText().equals("BackupDataKeys"), "no key listed, no grant");
                assertFalse(statement.path("sid").asText().startsWith("ObjectLock"), "no bucket listed, no grant");
            }
        }
    }

    @Test
    void withSubnetsEveryFunctionRunsInTheVpcAndMayManageItsNetworkInterfaces() {
        Plan inVpc = offline.plan("vpc.plan", "subnet_ids=[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"]",
                "security_group_ids=[\"sg-0123abcd\"]");
        List<JsonNode> lambdas = inVpc.resources("aws_lambda_function");
        for (JsonNode lambda : lambdas) {
            JsonNode vpc = lambda.path("vpc_config").path(0);
            assertEquals("[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"]", sorted(vpc.path("subnet_ids")),
                    lambda.path("function_name").asText());
            assertEquals("[\"sg-0123abcd\"]", sorted(vpc.path("security_group_ids")));
        }
        assertEquals(lambdas.size(), inVpc.resources("aws_iam_role_policy_attachment").size());
        assertTrue(plan.resources("aws_lambda_function").stream().allMatch(l -> l.path("vpc_config").isEmpty()),
                "without subnets, no function is in a VPC");
    }

    private static String sorted(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add("\"" + v.asText() + "\""));
        values.sort(String::compareTo);
        return "[" + String.join(",", values) + "]";
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> only = new TreeSet<>(a);
        only.removeAll(b);
        return only;
    }

    /**
     * Failed runs and Unavailable locations (the detail types the code emits, RunEvent) go by an example rule on
     * Lifeboat's bus to an SNS topic, which alarms on the dead-letter queue and on the EMF metric Failed also notify;
     * the functions that end runs may put events on that bus, and the others may not.
     */
    @Test
    void failuresReachATopicByARuleAndByAlarms() throws Exception {
        Set<String> failures = new TreeSet<>();
        for (RunEnded.Kind kind : RunEnded.Kind.values()) {
            for (String phase : List.of("Failed", "PartiallyFailed", "Unavailable")) {
                RunEvent.of(new RunEnded(kind, "p", "n", phase, "Available", 0, 0, 0, 0, null, null, null))
                        .ifPresent(event -> failures.add(event.detailType()));
            }
        }
        assertTrue(failures.contains("Backup Failed") && failures.contains("Location Unavailable"), failures.toString());
        JsonNode rule = plan.resources("aws_cloudwatch_event_rule").stream()
                .filter(r -> r.path("name").asText().equals(PREFIX + "-failed-runs")).findFirst().orElseThrow();
        JsonNode pattern = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rule.path("event_pattern").asText());
        assertEquals("[\"lifeboat\"]", pattern.path("source").toString());
        Set<String> routed = new TreeSet<>();
        pattern.path("detail-type").forEach(type -> routed.add(type.asText()));
        assertEquals(failures, routed, "the rule routes every failure the code emits");
        assertEquals(PREFIX + "-events", rule.path("event_bus_name").asText());
        assertEquals(1, plan.resources("aws_sns_topic").size());

        Map<String, JsonNode> alarms = new TreeMap<>();
        plan.resources("aws_cloudwatch_metric_alarm").forEach(a -> alarms.put(a.path("alarm_name").asText(), a));
        JsonNode dead = alarms.get(PREFIX + "-dead-letters");
        assertEquals("AWS/SQS", dead.path("namespace").asText());
        assertEquals("ApproximateNumberOfMessagesVisible", dead.path("metric_name").asText());
        assertEquals("GreaterThanThreshold", dead.path("comparison_operator").asText());
        assertEquals(0, dead.path("threshold").asInt());
        for (String function : List.of("run-backup", "run-restore")) {
            JsonNode failed = alarms.get(PREFIX + "-" + function + "-failed");
            assertEquals("Lifeboat", failed.path("namespace").asText(), function);
            assertEquals("Failed", failed.path("metric_name").asText(), function);
            assertEquals(function, failed.path("dimensions").path("function").asText(), function);
            assertEquals("Sum", failed.path("statistic").asText(), function);
        }

        Map<String, Set<String>> actions = new TreeMap<>();
        for (JsonNode document : plan.dataSources("aws_iam_policy_document")) {
            if (document.path("name").asText().equals("function")) {
                for (JsonNode statement : document.path("values").path("statement")) {
                    statement.path("actions").forEach(a -> actions.computeIfAbsent(document.path("index").asText(),
                            k -> new TreeSet<>()).add(a.asText()));
                }
            }
        }
        for (String function : List.of("run-backup", "run-restore", "validate-location")) {
            assertTrue(actions.get(function).contains("events:PutEvents"), function);
        }
        for (String function : List.of("api", "tick-schedules", "sweep-expired")) {
            assertFalse(actions.get(function).contains("events:PutEvents"), function);
        }
        for (JsonNode lambda : plan.resources("aws_lambda_function")) {
            assertEquals(PREFIX + "-events", Plan.environment(lambda).get("LIFEBOAT_EVENTS_BUS_NAME"),
                    lambda.path("function_name").asText());
        }
    }
}
