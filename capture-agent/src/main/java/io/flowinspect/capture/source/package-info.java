/** Where frames come from: capture files read through libpcap, frame by frame, in order. */
package io.flowinspect.capture.source;
