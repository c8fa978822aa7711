// The packet path's routing (issue 5): after classification, each frame goes where its MARK says,
// and frames are grouped into per-destination batches without reordering the frames of one flow.
//
// Destination of a frame (int32):
//   >= 0                  an odp port: the mark's port bits when it carries FLOW_ID_ODP_PORT_BIT
//                         (0x8000), else hw_to_odp[hw-port-id] of the mark's low 15 bits;
//   kDestDrop             hit a rule without MARK whose fate is DROP;
//   kDestMiss             hit nothing (to the software datapath), malformed frames included;
//   kDestNone             hit a rule without MARK and without DROP;
//   kDestUnmappedBase - h a MARK carrying hw-port-id h that hw_to_odp does not map (-1 or beyond it).
#pragma once

#include <cstdint>

namespace hwol {

constexpr int32_t kDestDrop = -1;
constexpr int32_t kDestMiss = -2;
constexpr int32_t kDestNone = -3;
constexpr int32_t kDestUnmappedBase = -16;

// Port bits of a MARK id (src/flows/translate/mark.ts).
constexpr uint32_t kMarkOdpPortBit = 0x8000;
constexpr uint32_t kMarkPortMask = 0x7fff;

struct RouteInput {
  const uint32_t* marks;    // per frame, valid when flags has kVerdictMarked
  const uint8_t* flags;     // per frame, kVerdict* bits (soft_nic.h)
  uint32_t n;               // frames
  const int32_t* hw_to_odp; // hw-port-id -> odp port, or -1 when it has none
  uint32_t hw_count;        // elements of hw_to_odp
};

struct RouteOutput {
  int32_t* dest;    // n elements: each frame's destination
  uint32_t* order;  // n elements: frame indices grouped by destination, groups in order of first
                    // appearance, frames within a group in arrival order
  int32_t* groups;  // 2 per group (capacity 2n): destination, number of frames
};

// Routes n frames; returns the number of groups. Allocation-free after the first call on a thread.
uint32_t routeFrames(const RouteInput& in, const RouteOutput& out);

}  // namespace hwol
