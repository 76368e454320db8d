// Performance data: the measurements a Nagios plugin prints after a "|", as the
// plugin guidelines define them:
//
//   'label'=value[UOM];[warn];[crit];[min];[max]
//
// Items are separated by whitespace. A label with spaces is quoted, and '' in a
// quoted label is one quote. The trailing fields may be empty or left out.
// warn and crit are ranges ("10", "10:", "~:5", "10:20", "@10:20").
#pragma once

#include <checker/job.h>

#include <string>
#include <vector>

namespace nagios {

// The measurements in `text`, in the order printed, each value converted to its
// base unit: s, ms, us → "seconds"; B, KB, MB, GB, TB → "bytes" (binary
// multiples, as the monitoring plugins' check_disk means them; kB and KiB, MiB,
// GiB, TiB are taken too); % → "percent"; c → "counter"; none → "". The
// thresholds and bounds are kept as printed, in the plugin's unit.
//
// An item that does not follow the format (no '=', a value that is not a
// number or is "U", an unknown unit, a malformed range, more than five fields)
// is skipped; the rest still count.
std::vector<checker::Measurement> ParsePerfdata(const std::string& text);

}  // namespace nagios
