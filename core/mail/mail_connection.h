// The libcurl setup of every connection to a mail server, SMTP or IMAP: the
// URL's scheme for the security asked for, STARTTLS required (never
// downgraded), the CA file, the account, and bounds on every wait.
#pragma once

#include <curl/curl.h>

#include <string>

#include "mail/mail_settings.h"

namespace checker {

// Sets up `handle` for `protocol` ("smtp" or "imap") on `server`; `path` is
// appended to the URL ("/INBOX" for IMAP, "" for SMTP). `error_buffer` (of
// CURL_ERROR_SIZE) receives libcurl's words for a failure.
void SetUpMailConnection(CURL* handle, const MailServer& server, const std::string& protocol, const std::string& path,
                         char* error_buffer);

// What went wrong with a failed transfer, naming the server, never the password.
std::string DescribeMailError(const MailServer& server, const std::string& protocol, CURLcode code,
                              const char* error_buffer);

}  // namespace checker
