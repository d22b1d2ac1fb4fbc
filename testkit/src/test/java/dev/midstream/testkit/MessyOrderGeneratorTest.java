package dev.midstream.testkit;

import static org.junit.jupiter.api.Assertions.*;

import dev.midstream.testkit.orders.GeneratedEvent;
import dev.midstream.testkit.orders.MessyOrderGenerator;
import dev.midstream.testkit.orders.Outcome;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

class MessyOrderGeneratorTest {
    private static List<GeneratedEvent> events(long seed) {
        return new MessyOrderGenerator(seed, "G", ZoneId.of("UTC"), 1000).next(3000);
    }

    @Test
    void sameSeedSameEvents() {
        List<GeneratedEvent> a = events(7);
        List<GeneratedEvent> b = events(7);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value());
        }
    }

    @Test
    void everyKindOfMessIsPresent() {
        List<GeneratedEvent> events = events(3);
        Set<Outcome> outcomes = events.stream().map(GeneratedEvent::outcome).collect(Collectors.toSet());
        assertEquals(Set.of(Outcome.values()), outcomes);
        Set<String> rules = events.stream().filter(e -> e.outcome() == Outcome.REJECTED).map(GeneratedEvent::rule)
                .collect(Collectors.toSet());
        assertTrue(rules.size() >= 18, "rules: " + rules);
    }

    @Test
    void winnersAreOneVersionPerOrder() {
        MessyOrderGenerator generator = new MessyOrderGenerator(5, "G", ZoneId.of("UTC"), 1000);
        List<GeneratedEvent> events = generator.next(1000);
        assertEquals(1000, generator.winners().size());
        long written = events.stream().filter(e -> e.outcome() == Outcome.WRITTEN).count();
        assertTrue(written >= 1000, "each order is written at least once");
        assertTrue(events.stream().filter(e -> e.outcome() == Outcome.REJECTED)
                .allMatch(e -> e.stage() != null && e.rule() != null && e.order() == null));
        assertTrue(events.stream().filter(e -> e.outcome() != Outcome.REJECTED).allMatch(e -> e.order() != null));
    }
}
