/**
 * Captured frames to packet headers and flow keys: {@link io.flowinspect.capture.decode.FrameDecoder}
 * reads link, IP and transport headers at fixed offsets, keeps what the Linux kernel's conntrack
 * would see, and {@link io.flowinspect.capture.decode.PacketRecords} turns the result into the
 * records of the packets topic.
 */
package io.flowinspect.capture.decode;
