package dev.midstream.testkit.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates the orders topic as real producers fill it: valid events rendered messily (mixed case, stray
 * whitespace, timestamps with any offset, without one, or as epoch millis), re-sent duplicates, newer and stale
 * versions, conflicting versions, and a steady share of broken records (malformed JSON, wrong types, missing
 * fields, absurd values, tombstones, oversized payloads). Every event carries the outcome the cleanse job must
 * produce, and {@link #winners()} gives the rows the table must end with — computed here, independently of
 * the job's code. Deterministic for a seed.
 */
public final class MessyOrderGenerator {
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "CHF", "CNY", "JPY", "KRW", "KWD"};
    private static final Map<String, Integer> SCALE = Map.of(
            "USD", 2, "EUR", 2, "GBP", 2, "CHF", 2, "CNY", 2, "JPY", 0, "KRW", 0, "KWD", 3);
    private static final String[] CHANNELS = {"web", "app", "store", null};
    private static final String[] NEXT_STATUS = {"paid", "shipped", "delivered", "cancelled", "refunded"};
    private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

    private final Instant epoch;
    private final Random random;
    private final String idPrefix;
    private final ZoneId localZone;
    private final int oversizeBytes;
    private final Map<String, CanonicalOrder> winners = new LinkedHashMap<>();
    private long nextOrder;
    private long badRecords;

    /**
     * @param seed makes the sequence repeatable
     * @param idPrefix makes order ids unique across runs sharing one table (e.g. a demo re-run)
     * @param localZone the zone the job reads offset-less timestamps in
     * @param oversizeBytes the size of the oversized records; must exceed the job's max-record-bytes
     */
    public MessyOrderGenerator(long seed, String idPrefix, ZoneId localZone, int oversizeBytes) {
        this(seed, idPrefix, localZone, oversizeBytes, EPOCH);
    }

    /** With the first order's event time at {@code epoch} (a demo re-run moves it on, so its events are not late). */
    public MessyOrderGenerator(long seed, String idPrefix, ZoneId localZone, int oversizeBytes, Instant epoch) {
        this.epoch = epoch;
        this.random = new Random(seed);
        this.idPrefix = idPrefix;
        this.localZone = localZone;
        this.oversizeBytes = oversizeBytes;
    }

    /** The next {@code orders} orders' events (about 1.6 per order) interleaved with broken records (~12%). */
    public List<GeneratedEvent> next(int orders) {
        List<Positioned> events = new ArrayList<>();
        int span = orders * 4;
        for (int i = 0; i < orders; i++) {
            long position = (long) i * 4;
            for (GeneratedEvent e : lifecycle(newOrder())) {
                events.add(new Positioned(position, e));
                position += 1 + random.nextInt(40);
            }
        }
        int bad = Math.max(1, orders / 6);
        for (int i = 0; i < bad; i++) {
            events.add(new Positioned(random.nextInt(span), broken()));
        }
        events.sort(Comparator.comparingLong(Positioned::position));
        List<GeneratedEvent> out = new ArrayList<>(events.size());
        events.forEach(p -> out.add(p.event));
        return out;
    }

    /** Order id to the version the table must hold, over everything generated so far. */
    public Map<String, CanonicalOrder> winners() {
        return winners;
    }

    private record Positioned(long position, GeneratedEvent event) {}

    private CanonicalOrder newOrder() {
        long n = nextOrder++;
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        int scale = SCALE.get(currency);
        BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(500_000), 2)
                .multiply(scale == 0 ? BigDecimal.valueOf(100) : BigDecimal.ONE)
                .setScale(scale, RoundingMode.DOWN);
        if (amount.signum() == 0) {
            amount = BigDecimal.ONE.setScale(scale);
        }
        String phone = random.nextInt(5) == 0 ? null : "1415" + (1_000_000 + random.nextInt(9_000_000));
        Instant time = epoch.plus(n * 7 + random.nextInt(5), ChronoUnit.SECONDS).plusMillis(random.nextInt(1000));
        return new CanonicalOrder(idPrefix + "-" + n, "C-" + random.nextInt(2000),
                "customer" + random.nextInt(100_000) + ".x@shop-example.com", phone, amount, currency, "created",
                CHANNELS[random.nextInt(CHANNELS.length)], time);
    }

    /** One order's events, in the order they must be read. */
    private List<GeneratedEvent> lifecycle(CanonicalOrder v1) {
        List<GeneratedEvent> events = new ArrayList<>(4);
        events.add(valid(v1, Outcome.WRITTEN));
        CanonicalOrder latest = v1;
        if (random.nextInt(100) < 15) {
            events.add(valid(v1, Outcome.DUPLICATE));
        }
        if (random.nextInt(100) < 30) {
            latest = v1.withVersion(NEXT_STATUS[random.nextInt(NEXT_STATUS.length)], v1.amount(),
                    v1.eventTime().plusSeconds(60 + random.nextInt(3600)));
            events.add(valid(latest, Outcome.WRITTEN));
            if (random.nextInt(100) < 30) {
                events.add(valid(v1, Outcome.STALE));
            }
        }
        if (random.nextInt(100) < 3) {
            CanonicalOrder conflicting = latest.withVersion(latest.status(),
                    latest.amount().add(BigDecimal.ONE), latest.eventTime());
            events.add(new GeneratedEvent(key(latest), json(conflicting, ""), Outcome.REJECTED,
                    "dedup", "conflicting_version", null));
        }
        winners.put(latest.orderId(), latest);
        return events;
    }

    private GeneratedEvent valid(CanonicalOrder order, Outcome outcome) {
        return new GeneratedEvent(key(order), json(order, ""), outcome, null, null, order);
    }

    private static byte[] key(CanonicalOrder order) {
        return order.orderId().getBytes(StandardCharsets.UTF_8);
    }

    /** A valid rendering of {@code order}, as messy as a valid event may be; {@code extra} is appended fields. */
    private byte[] json(CanonicalOrder o, String extra) {
        StringBuilder s = new StringBuilder(256).append('{');
        field(s, "order_id", quote(o.orderId()));
        field(s, "customer_id", quote(pad(o.customerId())));
        field(s, "customer_email", quote(pad(randomCase(o.email()))));
        if (o.phoneDigits() != null) {
            field(s, "customer_phone", quote(formatPhone(o.phoneDigits())));
        }
        field(s, "amount", amount(o.amount()));
        field(s, "currency", quote(pad(randomCase(o.currency()))));
        field(s, "status", quote(pad(randomCase(o.status()))));
        if (o.channel() != null) {
            field(s, "channel", quote(pad(randomCase(o.channel()))));
        }
        field(s, "event_time", timestamp(o.eventTime()));
        if (random.nextInt(4) == 0) {
            field(s, "note", quote("gift wrap"));
        }
        s.append(extra);
        s.setLength(s.length() - 1);
        return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder s, String name, String jsonValue) {
        s.append('"').append(name).append("\":").append(jsonValue).append(',');
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + '"';
    }

    private String pad(String text) {
        return switch (random.nextInt(6)) {
            case 0 -> "  " + text;
            case 1 -> text + " ";
            case 2 -> "\t" + text + "  ";
            default -> text;
        };
    }

    private String randomCase(String text) {
        return switch (random.nextInt(4)) {
            case 0 -> text.toUpperCase(Locale.ROOT);
            case 1 -> text.toLowerCase(Locale.ROOT);
            case 2 -> Character.toUpperCase(text.charAt(0)) + text.substring(1);
            default -> text;
        };
    }

    private String amount(BigDecimal amount) {
        // 12.50 may arrive as 12.5; JPY 1500 may arrive as 1500.0
        return random.nextBoolean() ? amount.stripTrailingZeros().toPlainString()
                : amount.scale() == 0 ? amount.toPlainString() + ".0" : amount.toPlainString();
    }

    private String formatPhone(String digits) {
        String local = digits.substring(1);
        return switch (random.nextInt(4)) {
            case 0 -> "+" + digits.charAt(0) + " (" + local.substring(0, 3) + ") " + local.substring(3, 6) + "-" + local.substring(6);
            case 1 -> "+" + digits;
            case 2 -> pad(digits.charAt(0) + "." + local.substring(0, 3) + "." + local.substring(3, 6) + "." + local.substring(6));
            default -> digits;
        };
    }

    private String timestamp(Instant time) {
        return switch (random.nextInt(5)) {
            case 0 -> quote(time.toString());
            case 1 -> quote(time.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString());
            case 2 -> quote(time.atOffset(ZoneOffset.ofHours(-7)).toString());
            case 3 -> quote(LocalDateTime.ofInstant(time, localZone).toString().replace('T', ' '));
            default -> Long.toString(time.toEpochMilli());
        };
    }

    /** A record the job must reject, with the stage and rule it must name. */
    private GeneratedEvent broken() {
        long n = badRecords++;
        CanonicalOrder o = newOrderForBadRecord(n);
        String id = o.orderId();
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(19)) {
            case 0 -> reject(key, text("{\"order_id\":\"" + id + "\",\"amount\":12.5,"), "parse", "malformed_json");
            case 1 -> reject(key, text("[\"" + id + "\", 12.5]"), "parse", "not_an_object");
            case 2 -> reject(key, text(valid(o).replace("\"order_id\":\"" + id + "\",", "")), "validation", "order_id_required");
            case 3 -> reject(key, text(valid(o).replace("\"customer_email\":", "\"email\":")), "validation", "customer_email_required");
            case 4 -> reject(key, text(valid(o).replaceFirst("\"amount\":[0-9.]+", "\"amount\":\"12.50\"")), "validation", "amount_type");
            case 5 -> reject(key, text(valid(o).replaceFirst("\"amount\":[0-9.]+", "\"amount\":-" + o.amount().toPlainString())), "validation", "amount_range");
            case 6 -> reject(key, text(valid(o).replaceFirst("\"amount\":[0-9.]+", "\"amount\":250000000")), "validation", "amount_range");
            case 7 -> reject(key, text(valid(o).replace("\"currency\":\"" + o.currency() + "\"", "\"currency\":\"XAU\"")), "validation", "currency_enum");
            case 8 -> reject(key, text(valid(o).replace("\"status\":\"created\"", "\"status\":\" Lost \"")), "validation", "status_enum");
            case 9 -> reject(key, text(valid(o).replace(o.email(), "not-an-email")), "validation", "customer_email_format");
            case 10 -> reject(key, text(valid(o).replace("\"customer_phone\":\"" + o.phoneDigits() + "\"", "\"customer_phone\":\"12\"")), "validation", "customer_phone_format");
            case 11 -> reject(key, text(valid(o).replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":true")), "validation", "event_time_type");
            case 12 -> reject(key, text(valid(o).replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":0")), "validation", "event_time_range");
            case 13 -> reject(key, text(valid(o).replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":\"yesterday\"")), "validation", "event_time_format");
            case 14 -> reject(key, text(valid(o).replace("\"order_id\":\"" + id + "\"", "\"order_id\":\"" + "X".repeat(80) + "\"")), "validation", "order_id_max_length");
            case 15 -> reject(key, text(valid(o).replace("\"currency\":\"USD\"", "\"currency\":\"JPY\"").replace("\"amount\":12.34", "\"amount\":12.345")), "validation", "amount_scale");
            case 16 -> reject(key, null, "source", "null_value");
            case 17 -> reject(key, text(valid(o).replace("}", ",\"blob\":\"" + "x".repeat(oversizeBytes) + "\"}")), "source", "payload_too_large");
            default -> reject(key, text(valid(o).replace("\"order_id\":", "\"order_id\":1,\"order_id\":")), "parse", "malformed_json");
        };
    }

    /** A bad record's base: USD 12.34 with a phone, so the substitutions above always apply. */
    private CanonicalOrder newOrderForBadRecord(long n) {
        return new CanonicalOrder(idPrefix + "-bad-" + n, "C-1", "someone@shop-example.com", "14155550100",
                new BigDecimal("12.34"), "USD", "created", "web", EPOCH.plusSeconds(n));
    }

    private static String valid(CanonicalOrder o) {
        return "{\"order_id\":\"" + o.orderId() + "\",\"customer_id\":\"" + o.customerId() + "\",\"customer_email\":\""
                + o.email() + "\",\"customer_phone\":\"" + o.phoneDigits() + "\",\"amount\":"
                + o.amount().toPlainString() + ",\"currency\":\"" + o.currency() + "\",\"status\":\"" + o.status()
                + "\",\"channel\":\"" + o.channel() + "\",\"event_time\":\"" + o.eventTime() + "\"}";
    }

    private static byte[] text(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static GeneratedEvent reject(byte[] key, byte[] value, String stage, String rule) {
        return new GeneratedEvent(key, value, Outcome.REJECTED, stage, rule, null);
    }
}
