#include "mail/smtp_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>

#include "mail/committing_upload.h"
#include "mail/mail_connection.h"
#include "util/text.h"

namespace checker {
namespace {

constexpr std::size_t kLongestRawSubject = 900;  // RFC 5322 allows 998 octets a line
constexpr std::size_t kBodyLineBytes = 990;
constexpr std::size_t kFoldedLineBytes = 78;   // RFC 5322's recommended line length
constexpr std::size_t kEncodedWordBytes = 45;  // 60 base64 characters a word

std::string Base64(const std::string& bytes) {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[at]) << 16;
    if (at + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[at + 1]) << 8;
    if (at + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[at + 2]);
    out += kDigits[(group >> 18) & 63];
    out += kDigits[(group >> 12) & 63];
    out += at + 1 < bytes.size() ? kDigits[(group >> 6) & 63] : '=';
    out += at + 2 < bytes.size() ? kDigits[group & 63] : '=';
  }
  return out;
}

// Short printable ASCII as it is; anything else as folded RFC 2047 words, each
// holding whole UTF-8 characters.
std::string EncodeSubject(const std::string& subject) {
  const bool plain = subject.size() <= kLongestRawSubject &&
                     std::all_of(subject.begin(), subject.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (plain) return subject;
  std::string encoded;
  for (std::size_t at = 0; at < subject.size();) {
    std::size_t end = std::min(at + kEncodedWordBytes, subject.size());
    while (end < subject.size() && end > at + 1 && (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) --end;
    encoded += (encoded.empty() ? "" : "\r\n ") + ("=?utf-8?B?" + Base64(subject.substr(at, end - at)) + "?=");
    at = end;
  }
  return encoded;
}

// CRLF line ends, and no line longer than SMTP allows (split between characters).
std::string BodyWithCrlf(const std::string& body) {
  std::string out;
  std::size_t line_bytes = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') ++i;
      out += "\r\n";
      line_bytes = 0;
      continue;
    }
    if (line_bytes >= kBodyLineBytes && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      out += "\r\n";
      line_bytes = 0;
    }
    out += c;
    ++line_bytes;
  }
  if (line_bytes > 0) out += "\r\n";
  return out;
}

std::string RfcDate(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &parts);
  return text;
}

bool Unreachable(CURLcode code) {
  return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT || code == CURLE_OPERATION_TIMEDOUT;
}

// An address list for the header `name`, folded (RFC 5322) between addresses
// so that a line stays within 78 characters where an address allows it.
std::string FoldAddresses(const std::string& name, const std::vector<std::string>& addresses) {
  std::string folded;
  std::size_t line_length = name.size() + 2;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string address = OneLine(addresses[i]) + (i + 1 < addresses.size() ? "," : "");
    if (i > 0 && line_length + 1 + address.size() > kFoldedLineBytes) {
      folded += "\r\n";
      line_length = 0;
    }
    if (i > 0) {
      folded += ' ';
      ++line_length;
    }
    folded += address;
    line_length += address.size();
  }
  return folded;
}

}  // namespace

std::string FormatMessage(const MailMessage& message) {
  std::string text;
  const auto header = [&text](const std::string& name, const std::string& value) {
    text += name + ": " + value + "\r\n";
  };
  header("Date", RfcDate(message.date));
  header("From", FoldAddresses("From", {message.from}));
  header("To", FoldAddresses("To", message.to));
  header("Message-ID", OneLine(message.message_id));
  header("Subject", EncodeSubject(OneLine(message.subject)));
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "8bit");
  return text + "\r\n" + BodyWithCrlf(message.body);
}

Status SmtpClient::Send(const MailMessage& message, const std::function<void()>& committing) {
  may_have_arrived_ = false;
  refused_for_good_ = false;
  if (!unreachable_.empty()) return Status::Error("not tried: " + unreachable_);
  if (message.to.empty()) return Status::Error("no recipients");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Error("SMTP: libcurl could not start");
  const std::string data = FormatMessage(message);
  CommittingUpload upload(data, committing);
  curl_slist* recipients = nullptr;
  for (const auto& address : message.to)
    recipients = curl_slist_append(recipients, ("<" + OneLine(address) + ">").c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> recipients_owner(recipients, curl_slist_free_all);
  const std::string from = "<" + OneLine(message.from) + ">";
  char error[CURL_ERROR_SIZE] = "";

  CURL* handle = curl.get();
  SetUpMailConnection(handle, server_, "smtp", "", error);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, CommittingUpload::Read);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);

  const CURLcode code = curl_easy_perform(handle);
  if (upload.error) std::rethrow_exception(upload.error);
  if (code == CURLE_OK) return Status::Ok();
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  std::string reason = DescribeMailError(server_, "smtp", code, error);
  if (reply > 0) reason += " (last reply " + std::to_string(reply) + ")";
  if (Unreachable(code)) unreachable_ = reason;
  // A reply of 400 or more refused the message; anything less is the go-ahead
  // for the data, whose answer never came.
  may_have_arrived_ = upload.committed && reply < 400;
  // A wrong password is a setting to fix, not a refusal of this message.
  refused_for_good_ = reply >= 500 && reply < 600 && code != CURLE_LOGIN_DENIED;
  return Status::Error(reason);
}

}  // namespace checker
