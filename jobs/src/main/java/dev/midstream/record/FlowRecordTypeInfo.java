package dev.midstream.record;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.Objects;

/**
 * The type of {@link FlowRecord} streams: {@link FlowRecordSerializer}, or {@link FlowRecordWireSerializer} for a
 * stream that crosses to other tasks, never Kryo.
 */
public final class FlowRecordTypeInfo extends TypeInformation<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final FlowRecordTypeInfo INSTANCE = new FlowRecordTypeInfo(null);

    private final KnownTexts known;

    private FlowRecordTypeInfo(KnownTexts known) {
        this.known = known;
    }

    /** Records that cross to other tasks (a {@code keyBy}), their known texts sent as numbers. */
    public static FlowRecordTypeInfo acrossTasks(KnownTexts known) {
        return new FlowRecordTypeInfo(known);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FlowRecord> getTypeClass() {
        return FlowRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FlowRecord> createSerializer(SerializerConfig config) {
        return known == null ? FlowRecordSerializer.INSTANCE : new FlowRecordWireSerializer(known);
    }

    @Override
    public String toString() {
        return known == null ? "FlowRecord" : "FlowRecord(" + known + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FlowRecordTypeInfo that && Objects.equals(known, that.known);
    }

    @Override
    public int hashCode() {
        return 31 * FlowRecordTypeInfo.class.hashCode() + Objects.hashCode(known);
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FlowRecordTypeInfo;
    }
}
