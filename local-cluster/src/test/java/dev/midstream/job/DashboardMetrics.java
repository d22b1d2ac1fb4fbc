package dev.midstream.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a Grafana dashboard's PromQL against the metric names a real Prometheus scrape returned. */
final class DashboardMetrics {
    private static final Pattern NAME_REGEX = Pattern.compile("__name__=~\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\\bflink_[A-Za-z0-9_]+\\b");

    private DashboardMetrics() {}

    static Set<String> scrapedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** Every metric name, or name regex, in the dashboard's queries that matches nothing scraped. */
    static List<String> missing(JsonNode dashboard, Set<String> scraped) {
        List<String> missing = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher regex = NAME_REGEX.matcher(expr);
                while (regex.find()) {
                    Pattern p = Pattern.compile(regex.group(1));
                    if (scraped.stream().noneMatch(n -> p.matcher(n).matches())) {
                        missing.add(panel.path("title").asText() + ": " + regex.group(1));
                    }
                }
                Matcher name = NAME.matcher(NAME_REGEX.matcher(expr).replaceAll(""));
                while (name.find()) {
                    if (!scraped.contains(name.group())) {
                        missing.add(panel.path("title").asText() + ": " + name.group());
                    }
                }
            }
        }
        return missing;
    }

    /** Every metric name in the alerting rules' expressions that the scrape does not hold. */
    static List<String> missingInRules(Path rules, Set<String> scraped) throws Exception {
        List<String> missing = new ArrayList<>();
        Matcher name = NAME.matcher(java.nio.file.Files.readString(rules));
        while (name.find()) {
            if (!scraped.contains(name.group()) && !missing.contains(name.group())) {
                missing.add(name.group());
            }
        }
        return missing;
    }

    static JsonNode read(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }
}
