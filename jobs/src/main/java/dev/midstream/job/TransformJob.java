package dev.midstream.job;

/**
 * Entry point for jobs of the second layer: {@code flink run -c dev.midstream.job.TransformJob
 * midstream-jobs-flink.jar --config job.properties --transform pipelines/sales.yaml}. The same launcher as
 * {@link PipelinesJob}; kept as its own class so deployments that name it keep working. Clean topics are read from
 * the committed offsets of the consumer group {@code <midstream.source.group-id>.<transform>}, or from the earliest
 * offset the first time.
 */
public final class TransformJob {
    private TransformJob() {}

    public static void main(String[] args) throws Exception {
        JobLauncher.run(args);
    }
}
