package io.flowinspect.capture.source;

/**
 * What a pcapng Interface Description Block says about the frames captured on its interface.
 *
 * @param linkType the LINKTYPE_ value of its frames
 * @param snapLength 0 when the interface had none
 * @param maxCaptured the longest frame accepted from it (see {@link FrameDelivery#maxCaptured})
 * @param offsetNanos if_tsoffset: added to every timestamp
 */
record PcapngInterface(
    int linkType, long snapLength, int maxCaptured, TimestampResolution resolution, long offsetNanos) {}
