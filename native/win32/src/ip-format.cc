#include "ip-format.h"

#include <cstdio>

namespace vigil {

std::string FormatIpv4(const uint8_t* b) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  return buf;
}

std::string FormatIpv6(const uint8_t* b) {
  uint16_t words[8];
  for (int i = 0; i < 8; i++) words[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  bool mapped = words[5] == 0xffff;
  for (int i = 0; i < 5; i++) mapped = mapped && words[i] == 0;
  if (mapped) return "::ffff:" + FormatIpv4(b + 12);
  int bestStart = -1, bestLen = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; i++) {
    if (i == bestStart) {
      out += "::";
      i += bestLen - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", words[i]);
    out += buf;
  }
  return out;
}

}  // namespace vigil
