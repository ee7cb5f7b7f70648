#include "app/import_claims.h"

#include <unordered_map>
#include <unordered_set>

#include "common/check.h"
#include "domain/case_event_codec.h"
#include "domain/case_number.h"

namespace quitt::app {

namespace {

using domain::CaseEvent;
using domain::CaseState;

// Hands out ids from reserved blocks so the store is asked once per few thousand rows.
class IdBlocks {
 public:
  explicit IdBlocks(CaseStore& store) : store_(store) {}
  Result<std::int64_t> Next(IdKind kind) {
    Block& block = blocks_[static_cast<int>(kind)];
    if (block.next == block.end) {
      QUITT_ASSIGN_OR_RETURN(std::int64_t first, store_.ReserveIds(kind, kBlock));
      block.next = first;
      block.end = first + kBlock;
    }
    return block.next++;
  }
  void Reset() { blocks_[0] = blocks_[1] = blocks_[2] = Block{}; }
  // Returns the unused rest of every block (inside the transaction that reserved them).
  Status Release() {
    for (IdKind kind : {IdKind::kCustomer, IdKind::kCase, IdKind::kClaim}) {
      Block& block = blocks_[static_cast<int>(kind)];
      if (block.next != block.end)
        QUITT_RETURN_IF_ERROR(store_.ReleaseIds(kind, block.next, block.end));
      block = Block{};
    }
    return OkStatus();
  }

 private:
  static constexpr std::int64_t kBlock = 4096;
  struct Block {
    std::int64_t next = 0;
    std::int64_t end = 0;
  };
  CaseStore& store_;
  Block blocks_[3];
};

// A customer has at most one open case per currency: the key packs both into one integer.
std::int64_t OpenCaseKey(CustomerId customer, std::string_view currency) {
  std::int64_t code = 0;
  for (char c : currency) code = code << 8 | static_cast<unsigned char>(c);
  return customer.value() << 24 | code;
}

class Importer {
 public:
  Importer(CaseStore& store, const ImportOptions& options, domain::Client client, ImportIndex index)
      : store_(store),
        options_(options),
        client_(std::move(client)),
        index_(std::move(index)),
        ids_(store) {
    for (auto& open : index_.open_cases) {
      open_cases_[OpenCaseKey(open.customer, open.principal.currency().code())] = open;
    }
    index_.open_cases.clear();
  }

  ImportReport& report() { return report_; }

  // Decides one good row and adds its writes to the pending batch.
  Status Take(IntakeRow& row) {
    const domain::Claim& input = row.claim;
    auto known = index_.claims_by_ref.find(input.client_ref);
    if (known != index_.claims_by_ref.end()) {
      const auto& existing = known->second;
      if (existing.principal_minor == input.principal.minor_units() &&
          existing.currency == input.principal.currency().code()) {
        ++report_.unchanged;
      } else {
        domain::Money stored = domain::Money::FromMinorUnits(
            existing.principal_minor,
            domain::Currency::FromCode(existing.currency).value_or(input.principal.currency()));
        report_.conflicts.push_back(
            {row.line, input.client_ref,
             "claim " + input.client_ref + " exists with amount " + stored.ToDecimalString() + " " +
                 existing.currency + "; the file says " + input.principal.ToDecimalString() + " " +
                 std::string(input.principal.currency().code()) + " (not applied)"});
      }
      return OkStatus();
    }

    // The customer: known by the client's customer reference, else new.
    CustomerId customer_id;
    auto customer_it = index_.customers_by_ref.find(row.customer.customer_ref);
    if (customer_it != index_.customers_by_ref.end()) {
      customer_id = customer_it->second;
    } else {
      QUITT_ASSIGN_OR_RETURN(std::int64_t id, ids_.Next(IdKind::kCustomer));
      customer_id = CustomerId(id);
      domain::Customer customer = row.customer;
      customer.id = customer_id;
      customer.client = client_.id;
      batch_.new_customers.push_back(std::move(customer));
      index_.customers_by_ref.emplace(row.customer.customer_ref, customer_id);
      ++report_.customers_created;
    }

    // The case: the customer's open case in this currency, else a new one.
    const std::int64_t key = OpenCaseKey(customer_id, input.principal.currency().code());
    auto open = open_cases_.find(key);
    if (open == open_cases_.end()) {
      QUITT_ASSIGN_OR_RETURN(std::int64_t id, ids_.Next(IdKind::kCase));
      QUITT_ASSIGN_OR_RETURN(auto number, domain::CaseNumber::FromSequence(id));
      CaseSummary summary;
      summary.client = client_.id;
      summary.id = CaseId(id);
      summary.case_number = number.ToString();
      summary.customer = customer_id;
      summary.customer_name = row.customer.name;
      summary.customer_kind = row.customer.kind;
      summary.principal = domain::Money::Zero(input.principal.currency());
      summary.opened_on = options_.business_date;
      open = open_cases_.emplace(key, summary).first;
      Append(open->second, domain::CaseOpened{customer_id, summary.case_number,
                                              std::string(input.principal.currency().code()),
                                              "import " + source_name_});
      ++report_.cases_opened;
    }
    CaseSummary& summary = open->second;

    QUITT_ASSIGN_OR_RETURN(std::int64_t claim_id, ids_.Next(IdKind::kClaim));
    summary.principal += input.principal;
    summary.claim_count += 1;
    if (!summary.oldest_due_date || input.due_date < *summary.oldest_due_date) {
      summary.oldest_due_date = input.due_date;
    }
    dirty_cases_.insert(key);
    index_.claims_by_ref.emplace(
        input.client_ref,
        ImportIndex::KnownClaim{ClaimId(claim_id), summary.id, input.principal.minor_units(),
                                std::string(input.principal.currency().code())});
    // The row is not needed after this: its claim moves into the event, and from the sealed event
    // into the claims read model, without copying its strings.
    domain::ClaimAdded added{std::move(row.claim)};
    added.claim.id = ClaimId(claim_id);
    added.claim.client = client_.id;
    added.claim.case_id = summary.id;
    Append(summary, std::move(added));
    batch_.new_claims.push_back(
        std::move(std::get<domain::ClaimAdded>(batch_.events.back().event.payload).claim));
    ++report_.imported;
    return OkStatus();
  }

  // Moves the pending writes to the store (inside the caller's transaction).
  Status Flush() {
    for (std::int64_t key : dirty_cases_) {
      batch_.case_summaries.push_back(open_cases_.at(key));
    }
    dirty_cases_.clear();
    if (batch_.empty()) return OkStatus();
    Status status = store_.Write(batch_);
    batch_ = WriteBatch{};
    return status;
  }

  void set_source_name(std::string name) { source_name_ = std::move(name); }
  Status ReleaseUnusedIds() { return ids_.Release(); }

 private:
  void Append(CaseSummary& summary, domain::CaseEventPayload payload) {
    CaseEvent event;
    event.client = client_.id;
    event.case_id = summary.id;
    event.seq = summary.last_seq + 1;
    event.effective_date = options_.business_date;
    event.recorded_at = now_;
    event.actor = options_.actor;
    event.payload = std::move(payload);
    domain::StoredCaseEvent stored = domain::Seal(std::move(event), summary.last_hash);
    summary.last_seq = stored.event.seq;
    summary.last_hash = stored.hash;
    summary.updated_at = now_;
    batch_.events.push_back(std::move(stored));
  }

 public:
  void set_now(domain::Timestamp now) { now_ = now; }

 private:
  CaseStore& store_;
  const ImportOptions& options_;
  domain::Client client_;
  ImportIndex index_;
  IdBlocks ids_;
  std::unordered_map<std::int64_t, CaseSummary> open_cases_;
  std::unordered_set<std::int64_t> dirty_cases_;
  WriteBatch batch_;
  ImportReport report_;
  std::string source_name_;
  domain::Timestamp now_ = domain::Timestamp::FromUnixMicros(0);
};

}  // namespace

Result<ImportReport> ImportClaims(CaseStore& store, Clock& clock, ClaimSource& source,
                                  const ImportOptions& options) {
  QUITT_ASSIGN_OR_RETURN(auto client, store.FindClientByCode(options.client_code));
  if (!client) {
    return NotFound("client '" + options.client_code +
                    "' does not exist (create it with: quitt client add " + options.client_code +
                    " --name \"...\")");
  }
  QUITT_ASSIGN_OR_RETURN(ImportIndex index, store.LoadImportIndex(client->id));
  Importer importer(store, options, *client, std::move(index));
  // The history records the file's name, not where it happened to lie on the importing machine.
  importer.set_source_name(source.name().substr(source.name().find_last_of('/') + 1));
  importer.report().source = source.name();
  importer.set_now(clock.Now());

  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  std::int64_t rows_in_transaction = 0;
  IntakeRow row;
  while (true) {
    QUITT_ASSIGN_OR_RETURN(bool more, source.Next(row));
    if (!more) break;
    ImportReport& report = importer.report();
    ++report.rows;
    if (row.problems.empty()) {
      for (auto& problem : domain::ValidateClaim(row.claim)) {
        row.problems.push_back({row.line, problem.field, problem.message});
      }
    }
    if (!row.problems.empty()) {
      ++report.problem_rows;
      for (auto& problem : row.problems) report.problems.push_back(std::move(problem));
      row.problems.clear();
    } else if (!options.keep_good_rows && report.problem_rows > 0) {
      // The file will be rejected anyway; keep reading only to report every bad row.
    } else {
      QUITT_RETURN_IF_ERROR(importer.Take(row));
      ++rows_in_transaction;
    }
    if (report.rows % 10000 == 0) {
      QUITT_RETURN_IF_ERROR(importer.Flush());
      if (options.on_progress) options.on_progress({report.rows, source.position(), source.size()});
    }
    if (options.keep_good_rows && rows_in_transaction >= options.batch_rows) {
      QUITT_RETURN_IF_ERROR(importer.Flush());
      QUITT_RETURN_IF_ERROR(importer.ReleaseUnusedIds());
      QUITT_RETURN_IF_ERROR(transaction->Commit());
      QUITT_ASSIGN_OR_RETURN(transaction, store.Begin());
      rows_in_transaction = 0;
    }
  }
  ImportReport& report = importer.report();
  if (report.problem_rows > 0 && !options.keep_good_rows) {
    report.rejected = true;
    report.imported = 0;
    report.cases_opened = 0;
    report.customers_created = 0;
    transaction.reset();  // rolls back
    return report;
  }
  QUITT_RETURN_IF_ERROR(importer.Flush());
  QUITT_RETURN_IF_ERROR(importer.ReleaseUnusedIds());
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  if (options.on_progress) options.on_progress({report.rows, source.position(), source.size()});
  return report;
}

}  // namespace quitt::app
