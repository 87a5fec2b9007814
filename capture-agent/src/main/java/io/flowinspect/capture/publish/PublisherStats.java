package io.flowinspect.capture.publish;

/**
 * What the publisher did so far.
 *
 * @param packetsSent headers handed to the producer
 * @param recordsSent records handed to the producer (batches and heartbeats)
 * @param packetsAcked headers the broker acknowledged
 * @param recordsAcked records the broker acknowledged
 * @param inFlight headers sent and not yet acknowledged
 * @param packetsDropped headers dropped because too many were in flight (backpressure DROP)
 * @param packetsFailed headers the broker did not take (errors, timeouts)
 */
public record PublisherStats(long packetsSent, long recordsSent, long packetsAcked, long recordsAcked, long inFlight,
    long packetsDropped, long packetsFailed, long heartbeats) {

  public double packetsPerRecord() {
    long dataRecords = recordsSent - heartbeats;
    return dataRecords <= 0 ? 0 : (double) packetsSent / dataRecords;
  }
}
