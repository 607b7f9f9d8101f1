package io.lifeboat.run;

import io.lifeboat.run.Results;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsTest {
    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> results, String kind, String key) {
        return (List<String>) ((Map<String, Object>) results.get(kind)).get(key);
    }

    @SuppressWarnings("unchecked")
    static int count(Map<String, Object> results, String kind) {
        Map<String, Object> shape = (Map<String, Object>) results.get(kind);
        int n = list(results, kind, "velero").size() + list(results, kind, "cluster").size();
        for (List<String> messages : ((Map<String, List<String>>) shape.get("namespaces")).values()) {
            n += messages.size();
        }
        return n;
    }

    @Test
    void theFileKeepsEveryMessageAndTheRecordTheFirstFew() {
        Results results = new Results();
        for (int i = 0; i < 5_000; i++) {
            results.warn("ns-" + (i % 7), "warning " + i);
        }
        results.error(null, "a cluster-scoped error");
        results.errorOfRun("a run error");
        assertEquals(5_000, results.warningCount());
        assertEquals(5_000, count(results.toVelero(), "warnings"), "more than the old 1000 per list");
        assertEquals(2, count(results.toVelero(), "errors"));
        Map<String, Object> summary = results.summary(Results.ON_RECORD);
        assertEquals(Results.ON_RECORD, count(summary, "warnings"));
        assertEquals(List.of("a run error"), list(summary, "errors", "velero"), "Lifeboat's own errors first");
        assertEquals(List.of("a run error", "a cluster-scoped error"), results.firstErrors(10));
    }

    @Test
    void pastTheLimitTheFileSaysHowManyMoreThereWere() {
        Results results = new Results();
        for (int i = 0; i < Results.MAX_KEPT + 5; i++) {
            results.warn(null, "w" + i);
        }
        Map<String, Object> file = results.toVelero();
        assertEquals(Results.MAX_KEPT, list(file, "warnings", "cluster").size());
        List<String> ofRun = list(file, "warnings", "velero");
        assertEquals(1, ofRun.size());
        assertTrue(ofRun.get(0).startsWith("… and 5 more warnings"), ofRun.get(0));
        assertEquals(Results.MAX_KEPT + 5, results.warningCount(), "the count stays exact");
        assertTrue(list(results.summary(3), "warnings", "velero").isEmpty(), "the record's summary has no such line");
    }

    @Test
    void aLongMessageIsCut() {
        Results results = new Results();
        results.error("shop", "x".repeat(50_000));
        String kept = results.firstErrors(1).get(0);
        assertTrue(kept.length() < Results.MAX_MESSAGE_CHARS + 100, kept.length() + " characters");
        assertTrue(kept.endsWith("(48000 more characters)"), kept.substring(kept.length() - 40));
    }
}
