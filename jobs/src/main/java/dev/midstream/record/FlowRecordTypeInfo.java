package dev.midstream.record;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of {@link FlowRecord} streams: always {@link FlowRecordSerializer}, never Kryo. */
public final class FlowRecordTypeInfo extends TypeInformation<FlowRecord> {
    private static final long serialVersionUID = 1L;
    public static final FlowRecordTypeInfo INSTANCE = new FlowRecordTypeInfo();

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
        return FlowRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FlowRecord";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FlowRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return FlowRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FlowRecordTypeInfo;
    }
}
