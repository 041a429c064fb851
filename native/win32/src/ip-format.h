// IP addresses as text (no Windows API: the native unit test builds this on Linux too).
#pragma once

#include <cstdint>
#include <string>

namespace vigil {

// Four bytes in network order, as dotted decimal.
std::string FormatIpv4(const uint8_t* bytes);
// Sixteen bytes in network order, RFC 5952 text (lowercase, longest zero run of two or more words compressed,
// first on ties, IPv4-mapped addresses with a dotted tail).
std::string FormatIpv6(const uint8_t* bytes);

}  // namespace vigil
