#include "adapters/banking/statement_reader.h"

#include <fstream>

#include "adapters/banking/mt940_reader.h"
#include "common/text.h"

namespace quitt::adapters::banking {

Result<std::vector<domain::payment::BankStatement>> ParseStatement(std::string_view content,
                                                                   const std::string& source,
                                                                   const CamtLimits& limits) {
  std::string_view start = content;
  if (StartsWith(start, "\xEF\xBB\xBF")) start.remove_prefix(3);
  start = Trim(start);
  if (StartsWith(start, "<")) return ParseCamt(content, source, limits);
  if (StartsWith(start, ":20:") || StartsWith(start, "{1:") || StartsWith(start, ":940:")) {
    return ParseMt940(content, source, limits.max_bytes);
  }
  return InvalidArgument(source +
                         ": not a bank statement: expected camt.053/camt.054 XML or MT940");
}

Result<std::vector<domain::payment::BankStatement>> ReadStatementFile(const std::string& path,
                                                                      const CamtLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return NotFound(path + ": cannot open the file");
  const std::streamoff size = in.tellg();
  if (size < 0) return Unavailable(path + ": cannot determine the file size");
  if (static_cast<std::size_t>(size) > limits.max_bytes) {
    return InvalidArgument(path + ": file has " + std::to_string(size) + " bytes, the limit is " +
                           std::to_string(limits.max_bytes));
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return Unavailable(path + ": cannot read the file");
  return ParseStatement(text, path, limits);
}

}  // namespace quitt::adapters::banking
