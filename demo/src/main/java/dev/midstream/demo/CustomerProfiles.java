package dev.midstream.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Customer profiles for the customers data set, one per customer the orders mention, sent when the customer is
 * first seen: so some profiles reach the enrichment before their first order and some after. Every seventh
 * customer never gets a profile, and the sales layer marks their orders {@code customer_missing}.
 */
final class CustomerProfiles {
    private static final List<String> TIERS = List.of("standard", "gold", "platinum");
    private static final List<String> CITIES = List.of("Berlin", "Shanghai", "Lyon", "Austin", "Osaka");
    private static final List<String> COUNTRIES = List.of("DE", "CN", "FR", "US", "JP");

    private final Set<String> seen = new HashSet<>();

    /** The profile to send for this order's customer, or null (already sent, or one that never arrives). */
    byte[] firstSight(String customerId, Instant orderTime) {
        if (customerId == null || !seen.add(customerId)) {
            return null;
        }
        int h = Math.floorMod(customerId.hashCode(), 1000);
        if (h % 7 == 0) {
            return null;
        }
        String json = "{\"customer_id\":\"" + customerId + "\",\"email\":\" " + customerId.toUpperCase()
                + "@Shop-Example.com \",\"phone\":\"+1 415 555 " + (1000 + h) + "\",\"full_name\":\"Customer  "
                + customerId + "\",\"tier\":\"" + TIERS.get(h % 3) + "\",\"updated_at\":\"" + orderTime.minusSeconds(5)
                + "\",\"address\":{\"street\":\"" + h + " Main St\",\"city\":\"" + CITIES.get(h % 5) + "\",\"country\":\""
                + COUNTRIES.get(h % 5).toLowerCase() + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
