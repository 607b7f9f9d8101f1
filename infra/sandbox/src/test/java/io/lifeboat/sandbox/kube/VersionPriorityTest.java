package io.lifeboat.sandbox.kube;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionPriorityTest {
    @Test
    void gaBeforeBetaBeforeAlphaHigherNumbersFirstOthersLastByName() {
        List<String> sorted = List.of("v2", "v1", "v11alpha2", "v10", "v10beta3", "v10beta1", "v1beta2", "v1beta1",
                "v1alpha3", "v1alpha1", "foo1", "v1x");
        List<String> expected = List.of("v10", "v2", "v1", "v10beta3", "v10beta1", "v1beta2", "v1beta1", "v11alpha2",
                "v1alpha3", "v1alpha1", "foo1", "v1x");
        for (int i = 0; i < 5; i++) {
            List<String> shuffled = new ArrayList<>(sorted);
            Collections.shuffle(shuffled, new java.util.Random(i));
            shuffled.sort(VersionPriority.HIGHEST_FIRST);
            assertEquals(expected, shuffled);
        }
    }
}
