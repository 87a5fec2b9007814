package io.flowinspect.bench;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.streams.AvroMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Benchmark inputs read from real captures, once, before measuring. */
final class Captures {
  /** The default input: 82,582 frames of real TCP traffic (741 connections) from Zeek's test traces. */
  static final String DEFAULT = "zeek_echo-connections.pcap";

  private Captures() {}

  /** A capture name is looked up in ../shared/pcaps, then taken as a path. */
  static Path resolve(String name) {
    String shared = System.getProperty("flowinspect.shared.dir", "../shared");
    Path inShared = Path.of(shared, "pcaps", name);
    if (Files.exists(inShared)) {
      return inShared;
    }
    Path p = Path.of(name);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("no capture " + name + " (in " + inShared.getParent() + " or as a path); "
          + "set -Dflowinspect.shared.dir or give a path, e.g. samples/home-office.pcap");
    }
    return p;
  }

  record Frames(int linkType, List<byte[]> frames, List<Integer> wireLengths, List<Long> times) {}

  static Frames frames(Path capture) throws CaptureException {
    List<byte[]> frames = new ArrayList<>();
    List<Integer> wire = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    int[] link = {1};
    try (CaptureFileReader source = CaptureFileReader.open(capture)) {
      source.forEach((index, linkType, frame, captured, wireLength, timeNanos) -> {
        link[0] = linkType;
        frames.add(java.util.Arrays.copyOf(frame, captured)); // the reader reuses its array
        wire.add(wireLength);
        times.add(timeNanos);
      });
    }
    return new Frames(link[0], frames, wire, times);
  }

  record Packets(FlowKey[] keys, Packet[] packets) {}

  /** Decoded, and turned into the engine's types through the topic's Avro records, like the inspector. */
  static Packets packets(Path capture) throws CaptureException {
    Frames f = frames(capture);
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket d = new DecodedPacket();
    List<FlowKey> keys = new ArrayList<>();
    List<Packet> packets = new ArrayList<>();
    for (int i = 0; i < f.frames().size(); i++) {
      byte[] frame = f.frames().get(i);
      if (decoder.decode(f.linkType(), frame, frame.length, f.wireLengths().get(i), f.times().get(i), d) == null) {
        keys.add(AvroMapping.flowKey(PacketRecords.key(d)));
        packets.add(AvroMapping.packet(PacketRecords.header(d)));
      }
    }
    return new Packets(keys.toArray(new FlowKey[0]), packets.toArray(new Packet[0]));
  }
}
