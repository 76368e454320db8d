// Fuzz target: the mail formatter. Whatever the fields hold, no bare CR or
// LF reaches the header block.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "mail/smtp_client.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Fields separated by NUL bytes: from, subject, body, then recipients.
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0)
      fields.emplace_back();
    else
      fields.back() += static_cast<char>(data[i]);
  }
  fields.resize(std::max<std::size_t>(fields.size(), 4));
  checker::MailMessage message;
  message.from = fields[0];
  message.subject = fields[1];
  message.body = fields[2];
  message.to.assign(fields.begin() + 3, fields.end());
  message.message_id = "<id@fuzz>";
  const std::string text = checker::FormatMessage(message);
  const std::string headers = text.substr(0, text.find("\r\n\r\n"));
  for (std::size_t at = 0; at < headers.size(); ++at) {
    if (headers[at] == '\n' && (at == 0 || headers[at - 1] != '\r')) std::abort();
    if (headers[at] == '\r' && (at + 1 >= headers.size() || headers[at + 1] != '\n')) std::abort();
  }
  return 0;
}
