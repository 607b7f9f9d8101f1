package io.lifeboat.restore;

import io.lifeboat.run.Results;
import io.lifeboat.run.RunLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restore judges each archived item once: the spool then holds what is applied, as it is applied. */
class RestorePlanTest {
    @TempDir
    Path work;

    @Test
    void eachItemIsDecidedOnceAndTheSpoolKeepsTheDecidedItems() {
        ArchiveSpoolTest.Written archive = ArchiveSpoolTest.lifeboatArchive();
        RestoreOptions options = ItemRulesTest.options(true, false, false);
        NeededClusterObjects needed = new NeededClusterObjects();
        ItemRules rules = new ItemRules(options, new VolumePlan(options, List.of()), needed);
        AtomicInteger decisions = new AtomicInteger();
        List<String> decided = new ArrayList<>();
        RestorePlan.Decider counting = (folder, namespaced, item) -> {
            decisions.incrementAndGet();
            decided.add(folder + " " + item.name());
            return rules.decide(folder, namespaced, item);
        };
        Results results = new Results();
        try (ArchiveSpool spool = ArchiveSpool.read(new ByteArrayInputStream(archive.bytes()), archive.sha256(),
                ArchiveSpoolTest.LIMITS, work)) {
            Map<String, Boolean> scopes = Map.of("configmaps", true, "namespaces", false, RestoreOrder.CRDS, false,
                    "widgets.demo.lifeboat.io", true);
            RestorePlan plan = RestorePlan.judge(spool, scopes, rules, counting, needed, new RunLog(Clock.systemUTC()),
                    results);

            assertEquals(spool.total(), decisions.get(), "one decision per archived item: " + decided);
            assertEquals(33, spool.total(), "the archive's count is kept");
            assertEquals(1, plan.toApply(RestoreOrder.CRDS));
            assertEquals(30, plan.toApply("configmaps"));
            assertEquals(33, plan.total());
            assertTrue(decided.indexOf("widgets.demo.lifeboat.io w1") < decided.indexOf(RestoreOrder.CRDS
                    + " widgets.demo.lifeboat.io"), "namespaced items are judged before the CRDs: " + decided);
            spool.forEach("configmaps", item -> {
                assertEquals("r1", item.path("metadata").path("labels").path(ItemRules.RESTORE_LABEL).asText(),
                        "the spool holds the item as it is applied: " + item);
                assertFalse(item.path("metadata").has("uid"));
            });
            assertEquals(0, results.errorCount());
        }
    }
}
