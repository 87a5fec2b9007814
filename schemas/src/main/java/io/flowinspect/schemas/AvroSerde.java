package io.flowinspect.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for the generated Avro classes, using Avro single-object encoding: every value starts
 * with the marker {@code C3 01} and the 8-byte CRC-64-AVRO fingerprint of its writer schema. Topics
 * are therefore self-describing without a schema registry, and a value written with a schema this
 * reader does not know fails with a message that names both fingerprints instead of being misread.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
  /** Bytes before the Avro body: the marker C3 01 and the writer schema's 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  static {
    // Avro 1.12 instantiates only trusted classes while decoding; the generated records are ours.
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
        type -> AvroSerde.class.getPackageName().equals(type.getPackageName())));
  }

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  /** Reads values written with the current schema, the common case, without schema resolution. */
  private final DatumReader<T> currentReader;
  private final long fingerprint;

  @SuppressWarnings("unchecked")
  private AvroSerde(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    this.currentReader = (DatumReader<T>) model.createDatumReader(schema);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
  }

  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type);
  }

  /**
   * Also accept values written with an older version of this record's schema; Avro resolves them
   * to the current one. Keep every schema a topic ever carried here, or old records become unreadable.
   */
  public AvroSerde<T> acceptingWriterSchema(Schema olderWriterSchema) {
    decoder.addSchema(olderWriterSchema);
    return this;
  }

  public Schema schema() {
    return schema;
  }

  public long fingerprint() {
    return fingerprint;
  }

  /**
   * The single-object header this serde writes before every value (marker C3 01, then the
   * fingerprint, little-endian), for writers that encode the body themselves.
   */
  public byte[] header() {
    byte[] h = new byte[HEADER_LENGTH];
    h[0] = (byte) 0xC3;
    h[1] = 0x01;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return h;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null; // a tombstone stays a tombstone
    }
    try {
      ByteBuffer buffer = encoder.encode(data);
      if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
          && buffer.remaining() == buffer.array().length) {
        return buffer.array();
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException(where(topic) + "cannot write " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      if (writtenWithCurrentSchema(data)) {
        // Avro's message decoder reads through an InputStream a byte at a time; a decoder over the
        // array itself reads the same bytes several times faster (packet batches: hundreds of
        // fields per record, on the inspector's hot path).
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
        return currentReader.read(null, in);
      }
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new SerializationException(where(topic) + "value written with an unknown Avro schema, fingerprint "
          + hex(writerFingerprint(data)) + "; this reader knows " + schema.getFullName() + " with fingerprint "
          + hex(fingerprint()) + ". Was it produced by a newer or a different flowinspect?", e);
    } catch (BadHeaderException e) {
      throw new SerializationException(where(topic) + "value is not Avro single-object encoded (first bytes "
          + hexPrefix(data) + ", expected C3 01 and a schema fingerprint)", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new SerializationException(where(topic) + "malformed " + type.getSimpleName() + " (" + data.length
          + " bytes): " + e, e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    // nothing to configure: the schema comes from the generated class
  }

  @Override
  public void close() {
    // nothing to release; Serde, Serializer and Deserializer all declare close()
  }

  /** Whether {@code data} is single-object encoded with exactly this serde's schema. */
  public boolean writtenWithCurrentSchema(byte[] data) {
    return data.length >= HEADER_LENGTH && data[0] == (byte) 0xC3 && data[1] == 0x01
        && writerFingerprint(data) == fingerprint;
  }

  private static long writerFingerprint(byte[] data) {
    if (data.length < HEADER_LENGTH) {
      return 0;
    }
    return ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static String where(String topic) {
    return topic == null ? "" : topic + ": ";
  }

  private static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  private static String hexPrefix(byte[] data) {
    byte[] head = Arrays.copyOf(data, Math.min(4, data.length));
    StringBuilder sb = new StringBuilder();
    for (byte b : head) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02X", b));
    }
    return sb.length() == 0 ? "none" : sb.toString();
  }
}
