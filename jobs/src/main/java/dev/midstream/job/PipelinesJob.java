package dev.midstream.job;

/**
 * The job jar's main class: {@code flink run midstream-jobs-flink.jar --config job.properties
 * --pipeline pipelines/orders.yaml [--pipeline …] [--transform …]}. One job runs one or more pipeline files (each
 * its own source, tables and dead letters) and, if given, transform files. See {@link JobLauncher}.
 */
public final class PipelinesJob {
    private PipelinesJob() {}

    public static void main(String[] args) throws Exception {
        JobLauncher.run(args);
    }
}
