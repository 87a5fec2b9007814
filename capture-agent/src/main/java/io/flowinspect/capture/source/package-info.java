/**
 * Where frames come from: capture files (pcap and pcapng) read by the project's own
 * memory-mapped reader, or through libpcap for comparison; live interfaces through libpcap.
 * Every source hands raw frame bytes to a {@link io.flowinspect.capture.source.FrameConsumer},
 * in order.
 */
package io.flowinspect.capture.source;
