// PostJson: one HTTP(S) POST of a JSON body with libcurl, as the webhook
// channel and the Alertmanager poster make it: http and https only, a total
// timeout (and at most 10 s to connect), no "Expect: 100-continue", and the
// answer read up to a cap, its start kept for the error message.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <string>

namespace checker {

struct JsonPostResult {
  CURLcode code = CURLE_OK;
  long status = 0;           // the HTTP status, 0 without an answer
  std::string error;         // libcurl's words when code says the request failed
  std::string answer_start;  // the first bytes of the answer's body
  bool committed = false;    // the whole body was handed to libcurl

  // The request reached the server and was answered (a body we stopped
  // reading at the cap still counts).
  bool answered() const { return code == CURLE_OK || code == CURLE_WRITE_ERROR; }
  bool accepted() const { return answered() && status >= 200 && status < 300; }
};

// `committing` (may be empty) is called right before the last byte of `body`
// goes out; an exception from it is rethrown here after libcurl returns.
JsonPostResult PostJson(const std::string& url, const std::string& body, int timeout_seconds,
                        const std::function<void()>& committing = {});

}  // namespace checker
