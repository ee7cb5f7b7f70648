#pragma once
// Clients (the creditors, our tenants) and customers (the people and companies who owe).
#include <optional>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/iban.h"
#include "domain/ids.h"

namespace quitt::domain {

struct Client {
  ClientId id;
  std::string code;  // short handle used on the command line and in files, e.g. "ACME"
  std::string name;
  std::string country = "DE";  // ISO 3166-1 alpha-2
};

// § 13 / § 14 BGB: whether the customer is a consumer or acts as a business decides the default
// interest rate (+5 or +9 points), the EUR 40 flat fee and the letters' wording.
enum class CustomerKind { kConsumer, kBusiness };
const char* CustomerKindName(CustomerKind kind);                       // "consumer" / "business"
std::optional<CustomerKind> ParseCustomerKind(std::string_view text);  // English and German words

struct PostalAddress {
  std::string street;  // street and house number
  std::string postcode;
  std::string city;
  std::string country = "DE";  // ISO 3166-1 alpha-2
};

struct Customer {
  CustomerId id;
  ClientId client;
  std::string customer_ref;  // the client's own customer number; unique per client
  CustomerKind kind = CustomerKind::kConsumer;
  std::string name;  // person's full name or company name
  std::optional<Date> birth_date;
  PostalAddress address;
  std::vector<std::string> emails;
  std::vector<std::string> phones;  // E.164, e.g. +4930123456
  std::string language = "de";      // ISO 639-1
  std::optional<Iban> iban;         // known account of the customer, for payment matching
};

}  // namespace quitt::domain
