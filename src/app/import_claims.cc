#include "app/import_claims.h"

#include <absl/container/flat_hash_set.h>
#include <absl/container/node_hash_map.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/check.h"
#include "domain/case_event_codec.h"
#include "domain/case_number.h"

namespace quitt::app {

namespace {

using domain::CaseEvent;
using domain::CaseState;

// The pipeline of one import: the preparing thread reads rows and turns them into write batches
// (decisions, sealed events); the calling thread, the only one that talks to the store, writes the
// batches and commits. Ids come from blocks the writing thread reserves ahead, so the preparing
// thread hardly ever waits for the store.
class ImportPipeline {
 public:
  struct PreparedBatch {
    WriteBatch writes;
    std::int64_t rows = 0;  // rows read when the batch was cut (for progress)
    std::int64_t position = 0;
    bool commit_after = false;  // keep_good_rows: the batch ends a transaction
  };

  explicit ImportPipeline(CaseStore& store) : store_(store) {}

  // Preparing thread. Waits for the writer when its reserved ids run out; an error when the
  // writer gave up.
  Result<std::int64_t> NextId(IdKind kind) {
    std::unique_lock lock(mutex_);
    auto& blocks = ids_[static_cast<int>(kind)];
    asked_[static_cast<int>(kind)] = true;
    while (true) {
      if (!blocks.empty() && blocks.front().next == blocks.front().end) {
        blocks.pop_front();
      } else if (!blocks.empty()) {
        return blocks.front().next++;
      } else {
        ids_wanted_ = true;
        changed_.notify_all();
        changed_.wait(lock, [&] { return !blocks.empty() || stopped_; });
        if (stopped_) return Aborted("import stopped: writing failed");
      }
    }
  }
  // Preparing thread: hands a batch to the writer (waits while two are queued).
  Status Hand(PreparedBatch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_.size() < kMaxQueued || stopped_; });
    if (stopped_) return Aborted("import stopped: writing failed");
    ready_.push_back(std::move(batch));
    changed_.notify_all();
    return OkStatus();
  }
  // Preparing thread, last call: its outcome.
  void Finish(Status status) {
    std::lock_guard lock(mutex_);
    finished_ = true;
    outcome_ = std::move(status);
    changed_.notify_all();
  }

  // Writing thread: reserves ids so at least kBlocksAhead blocks of each kind the preparing
  // thread has asked for are waiting (a kind never asked for reserves nothing: a file whose rows
  // are all known or all bad takes no ids).
  Status TopUpIds() {
    {
      std::lock_guard lock(mutex_);
      ids_wanted_ = false;  // a request made while this runs sets it again
    }
    for (IdKind kind : {IdKind::kCustomer, IdKind::kCase, IdKind::kClaim}) {
      std::size_t waiting;
      {
        std::lock_guard lock(mutex_);
        if (!asked_[static_cast<int>(kind)]) continue;
        waiting = ids_[static_cast<int>(kind)].size();
      }
      for (; waiting < kBlocksAhead; ++waiting) {
        QUITT_ASSIGN_OR_RETURN(std::int64_t first, store_.ReserveIds(kind, kBlockSize));
        std::lock_guard lock(mutex_);
        ids_[static_cast<int>(kind)].push_back({first, first + kBlockSize});
        changed_.notify_all();
      }
    }
    return OkStatus();
  }
  // Writing thread: the next batch; nullopt when the preparing thread has finished.
  Result<std::optional<PreparedBatch>> Take() {
    while (true) {
      std::optional<LookUpRequest> look_up;
      bool want_ids;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return !ready_.empty() || finished_ || ids_wanted_ || look_up_.has_value();
        });
        want_ids = ids_wanted_;
        look_up = std::exchange(look_up_, std::nullopt);
        if (!want_ids && !look_up) {
          if (ready_.empty()) return std::optional<PreparedBatch>();
          PreparedBatch batch = std::move(ready_.front());
          ready_.pop_front();
          changed_.notify_all();
          return std::optional<PreparedBatch>(std::move(batch));
        }
      }
      if (want_ids) QUITT_RETURN_IF_ERROR(TopUpIds());
      if (look_up) {
        QUITT_ASSIGN_OR_RETURN(ImportIndex found,
                               store_.LoadImportIndexFor(look_up->client, look_up->claim_refs,
                                                         look_up->customer_refs));
        std::lock_guard lock(mutex_);
        found_ = std::move(found);
        changed_.notify_all();
      }
    }
  }
  // Preparing thread: what the store knows of these references of the client. The writing
  // thread looks them up between two batches (in its transaction, so it sees this import's
  // earlier batches; the preparing thread knows those rows anyway).
  Result<ImportIndex> LookUp(ClientId client, std::vector<std::string> claim_refs,
                             std::vector<std::string> customer_refs) {
    std::unique_lock lock(mutex_);
    look_up_ = LookUpRequest{client, std::move(claim_refs), std::move(customer_refs)};
    changed_.notify_all();
    changed_.wait(lock, [&] { return found_.has_value() || stopped_; });
    if (stopped_) return Aborted("import stopped: writing failed");
    return *std::exchange(found_, std::nullopt);
  }
  // Writing thread: makes the preparing thread give up (after a write failed).
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }
  const Status& outcome() const { return outcome_; }  // after the preparing thread ended

  // Writing thread, before a commit and at the end: gives back every id not used, newest block
  // first, so the sequences stay dense when nobody reserved in between (ReleaseIds checks that).
  Status ReleaseUnusedIds() {
    std::array<std::deque<IdBlock>, 3> unused;
    {
      std::lock_guard lock(mutex_);
      unused.swap(ids_);  // the preparing thread waits for new blocks from here on
    }
    for (IdKind kind : {IdKind::kCustomer, IdKind::kCase, IdKind::kClaim}) {
      auto& blocks = unused[static_cast<int>(kind)];
      for (auto block = blocks.rbegin(); block != blocks.rend(); ++block) {
        QUITT_RETURN_IF_ERROR(store_.ReleaseIds(kind, block->next, block->end));
      }
    }
    return OkStatus();
  }

 private:
  static constexpr std::int64_t kBlockSize = 16384;
  // A batch holds at most 10,000 rows and two wait in the queue: three blocks ahead cover what
  // the preparing thread can use while one batch is written.
  static constexpr std::size_t kBlocksAhead = 3;
  static constexpr std::size_t kMaxQueued = 2;
  struct IdBlock {
    std::int64_t next = 0;
    std::int64_t end = 0;
  };

  CaseStore& store_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PreparedBatch> ready_;
  struct LookUpRequest {
    ClientId client;
    std::vector<std::string> claim_refs;
    std::vector<std::string> customer_refs;
  };
  std::optional<LookUpRequest> look_up_;
  std::optional<ImportIndex> found_;
  std::array<std::deque<IdBlock>, 3> ids_;
  bool ids_wanted_ = false;
  std::array<bool, 3> asked_ = {false, false, false};
  bool finished_ = false;
  bool stopped_ = false;
  Status outcome_;
};

// A customer has at most one open case per currency: the key packs both into one integer.
std::int64_t OpenCaseKey(CustomerId customer, std::string_view currency) {
  std::int64_t code = 0;
  for (char c : currency) code = code << 8 | static_cast<unsigned char>(c);
  return customer.value() << 24 | code;
}

class Importer {
 public:
  Importer(ImportPipeline& pipeline, const ImportOptions& options, domain::Client client,
           ImportIndex index)
      : pipeline_(pipeline),
        options_(options),
        client_(std::move(client)),
        index_(std::move(index)) {
    for (auto& open : index_.open_cases) {
      open_cases_[OpenCaseKey(open.customer, open.principal.currency().code())] = open;
    }
    index_.open_cases.clear();
  }

  ImportReport& report() { return report_; }

  // Decides one good row and adds its writes to the pending batch.
  Status Take(IntakeRow& row) {
    const domain::Claim& input = row.claim;
    // One look-up for both questions (known? and, when new, where it goes): the map holds a
    // million references on a large import. Every error from here on ends the import, so the
    // empty entry made here is never read.
    auto [known, added_to_index] = index_.claims_by_ref.try_emplace(input.client_ref);
    if (!added_to_index) {
      const auto& existing = known->second;
      if (existing.principal_minor == input.principal.minor_units() &&
          existing.currency() == input.principal.currency().code()) {
        ++report_.unchanged;
      } else {
        domain::Money stored = domain::Money::FromMinorUnits(
            existing.principal_minor,
            domain::Currency::FromCode(existing.currency()).value_or(input.principal.currency()));
        report_.conflicts.push_back(
            {row.line, input.client_ref,
             "claim " + input.client_ref + " exists with amount " + stored.ToDecimalString() + " " +
                 std::string(existing.currency()) + "; the file says " +
                 input.principal.ToDecimalString() + " " +
                 std::string(input.principal.currency().code()) + " (not applied)"});
      }
      return OkStatus();
    }

    // The customer: known by the client's customer reference, else new.
    const domain::Customer* customer = &row.customer;
    auto [customer_it, new_customer] = index_.customers_by_ref.try_emplace(customer->customer_ref);
    if (new_customer) {
      QUITT_ASSIGN_OR_RETURN(std::int64_t id, pipeline_.NextId(IdKind::kCustomer));
      customer_it->second = CustomerId(id);
      domain::Customer& written = batch_.new_customers.emplace_back(std::move(row.customer));
      written.id = customer_it->second;
      written.client = client_.id;
      customer = &written;
      ++report_.customers_created;
    }
    const CustomerId customer_id = customer_it->second;

    // The case: the customer's open case in this currency, else a new one.
    const std::int64_t key = OpenCaseKey(customer_id, input.principal.currency().code());
    auto open = open_cases_.find(key);
    if (open == open_cases_.end()) {
      QUITT_ASSIGN_OR_RETURN(std::int64_t id, pipeline_.NextId(IdKind::kCase));
      QUITT_ASSIGN_OR_RETURN(auto number, domain::CaseNumber::FromSequence(id));
      CaseSummary summary;
      summary.client = client_.id;
      summary.id = CaseId(id);
      summary.case_number = number.ToString();
      summary.customer = customer_id;
      summary.customer_name = customer->name;
      summary.customer_kind = customer->kind;
      summary.principal = domain::Money::Zero(input.principal.currency());
      summary.opened_on = options_.business_date;
      open = open_cases_.emplace(key, summary).first;
      Append(open->second, domain::CaseOpened{customer_id, summary.case_number,
                                              std::string(input.principal.currency().code()),
                                              "import " + source_name_});
      ++report_.cases_opened;
    }
    CaseSummary& summary = open->second;

    QUITT_ASSIGN_OR_RETURN(std::int64_t claim_id, pipeline_.NextId(IdKind::kClaim));
    summary.principal += input.principal;
    summary.claim_count += 1;
    if (!summary.oldest_due_date || input.due_date < *summary.oldest_due_date) {
      summary.oldest_due_date = input.due_date;
    }
    dirty_cases_.insert(key);
    known->second =
        ImportIndex::KnownClaim{ClaimId(claim_id), summary.id, input.principal.minor_units(),
                                input.principal.currency().code()};
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

  // The pending writes, from the last cut on.
  WriteBatch Cut() {
    batch_.case_summaries.reserve(dirty_cases_.size());
    for (std::int64_t key : dirty_cases_) {
      batch_.case_summaries.push_back(open_cases_.at(key));
    }
    dirty_cases_.clear();
    // In case order: the cases table is clustered by case id, and rows written in hash order
    // landed all over its B-tree (pages half full, twice the pages written).
    std::sort(batch_.case_summaries.begin(), batch_.case_summaries.end(),
              [](const CaseSummary& a, const CaseSummary& b) { return a.id < b.id; });
    WriteBatch next;
    // The next batch is most likely the size of this one: growing the vectors moved every event
    // (with its claim) several times.
    next.new_customers.reserve(batch_.new_customers.size());
    next.new_claims.reserve(batch_.new_claims.size());
    next.events.reserve(batch_.events.size());
    return std::exchange(batch_, std::move(next));
  }

  void set_source_name(std::string name) { source_name_ = std::move(name); }

  // The references of these rows that this import knows nothing of yet.
  void UnknownReferences(const std::vector<IntakeRow>& rows, std::vector<std::string>& claim_refs,
                         std::vector<std::string>& customer_refs) const {
    for (const auto& row : rows) {
      if (!row.problems.empty()) continue;
      if (!index_.claims_by_ref.contains(row.claim.client_ref)) {
        claim_refs.push_back(row.claim.client_ref);
      }
      if (!index_.customers_by_ref.contains(row.customer.customer_ref)) {
        customer_refs.push_back(row.customer.customer_ref);
      }
    }
  }
  // Adds what the store knows; what this import decided already stays (it is newer).
  void Merge(ImportIndex found) {
    for (auto& [ref, claim] : found.claims_by_ref) {
      index_.claims_by_ref.emplace(ref, std::move(claim));
    }
    for (auto& [ref, customer] : found.customers_by_ref) {
      index_.customers_by_ref.emplace(ref, customer);
    }
    for (auto& open : found.open_cases) {
      const std::int64_t key = OpenCaseKey(open.customer, open.principal.currency().code());
      open_cases_.emplace(key, std::move(open));
    }
  }
  const domain::Client& client() const { return client_; }
  // When every row is decided: frees what deciding needed on the preparing thread, while the
  // writer still writes and commits. A million references take a noticeable time to free, and
  // on the writing thread that time came after the commit.
  void ReleaseDecisionState() {
    (void)std::exchange(index_, ImportIndex{});
    (void)std::exchange(open_cases_, {});
    (void)std::exchange(dirty_cases_, {});
  }

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
    domain::StoredCaseEvent& stored = batch_.events.emplace_back();
    domain::SealInto(std::move(event), summary.last_hash, stored);
    summary.last_seq = stored.event.seq;
    summary.last_hash = stored.hash;
    summary.updated_at = now_;
  }

 public:
  void set_now(domain::Timestamp now) { now_ = now; }

 private:
  ImportPipeline& pipeline_;
  const ImportOptions& options_;
  domain::Client client_;
  ImportIndex index_;
  absl::node_hash_map<std::int64_t, CaseSummary> open_cases_;
  absl::flat_hash_set<std::int64_t> dirty_cases_;
  WriteBatch batch_;
  ImportReport report_;
  std::string source_name_;
  domain::Timestamp now_ = domain::Timestamp::FromUnixMicros(0);
};

// Rows are read, looked up and decided in blocks of this many.
constexpr std::size_t kBlockRows = 4096;

// The preparing thread: reads, checks and decides every row; hands batches to the writer. With
// `look_up`, the references of each block of rows are looked up in the store first (the index
// of the client was not loaded as a whole).
Status PrepareBatches(ClaimSource& source, const ImportOptions& options, bool look_up,
                      Importer& importer, ImportPipeline& pipeline) {
  std::int64_t rows_in_transaction = 0;
  auto hand = [&](bool commit_after) {
    return pipeline.Hand({importer.Cut(), importer.report().rows, source.position(), commit_after});
  };
  std::vector<IntakeRow> block;
  bool end = false;
  while (!end) {
    block.clear();
    while (block.size() < kBlockRows) {
      IntakeRow row;
      QUITT_ASSIGN_OR_RETURN(bool more, source.Next(row));
      if (!more) {
        end = true;
        break;
      }
      block.push_back(std::move(row));
    }
    // A file that will be rejected needs no more look-ups: its rows are only read for their
    // problems.
    if (look_up && (options.keep_good_rows || importer.report().problem_rows == 0)) {
      std::vector<std::string> claim_refs, customer_refs;
      importer.UnknownReferences(block, claim_refs, customer_refs);
      if (!claim_refs.empty() || !customer_refs.empty()) {
        QUITT_ASSIGN_OR_RETURN(
            ImportIndex found,
            pipeline.LookUp(importer.client().id, std::move(claim_refs), std::move(customer_refs)));
        importer.Merge(std::move(found));
      }
    }
    for (IntakeRow& row : block) {
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
      } else if (!options.keep_good_rows && report.problem_rows > 0) {
        // The file will be rejected anyway; keep reading only to report every bad row.
      } else {
        QUITT_RETURN_IF_ERROR(importer.Take(row));
        ++rows_in_transaction;
      }
      if (options.keep_good_rows && rows_in_transaction >= options.batch_rows) {
        QUITT_RETURN_IF_ERROR(hand(true));
        rows_in_transaction = 0;
      } else if (report.rows % 10000 == 0) {
        QUITT_RETURN_IF_ERROR(hand(false));
      }
    }
  }
  return hand(false);
}

// Loading all claim references of the client costs about as much per claim as looking up a
// row's references costs per row, and holds them in memory. So the import loads them all when
// the client is not much bigger than the file (a new client, a first large hand-over) and looks
// the file's references up block by block otherwise, and always beyond 250,000 claims, so that
// memory stays bounded and a small file into a large client takes a moment, not seconds.
constexpr std::int64_t kMostClaimsLoaded = 250000;
bool LookUpPerBlock(std::int64_t known_claims, std::int64_t file_bytes) {
  if (known_claims == 0) return false;
  if (known_claims > kMostClaimsLoaded) return true;
  return known_claims * 100 > file_bytes;  // a hand-over row is 100 to 250 bytes
}

}  // namespace

Result<ImportReport> ImportClaims(CaseStore& store, Clock& clock, ClaimSource& source,
                                  const ImportOptions& options) {
  QUITT_ASSIGN_OR_RETURN(auto client, store.FindClientByCode(options.client_code));
  if (!client) {
    return NotFound("client '" + options.client_code +
                    "' does not exist (create it with: quitt client add " + options.client_code +
                    " --name \"...\")");
  }
  QUITT_ASSIGN_OR_RETURN(std::int64_t known_claims,
                         store.CountClaims(client->id, kMostClaimsLoaded + 1));
  const bool look_up = LookUpPerBlock(known_claims, source.size());
  ImportIndex index;
  if (!look_up) {
    QUITT_ASSIGN_OR_RETURN(index, store.LoadImportIndex(client->id));
  }
  // Room for the file's references from the start: growing the table re-inserts every
  // reference so far, and old and new table are both held meanwhile. Hand-over rows have 100 to
  // 250 bytes; fewer reserved only means growing once (so does a source that counts rows).
  index.claims_by_ref.reserve(
      index.claims_by_ref.size() +
      static_cast<std::size_t>(std::max<std::int64_t>(source.size(), 0) / 150));
  ImportPipeline pipeline(store);
  Importer importer(pipeline, options, *client, std::move(index));
  // The history records the file's name, not where it happened to lie on the importing machine.
  importer.set_source_name(source.name().substr(source.name().find_last_of('/') + 1));
  importer.report().source = source.name();
  importer.set_now(clock.Now());

  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  // Nothing may escape either thread: an exception becomes the import's error (a joinable
  // thread destroyed by an exception would end the process, e.g. the API server).
  std::thread preparing([&] {
    pthread_setname_np(pthread_self(), "quitt-import");  // tells the threads apart in perf/top
    Status prepared;
    try {
      prepared = PrepareBatches(source, options, look_up, importer, pipeline);
      importer.ReleaseDecisionState();
    } catch (const std::exception& e) {
      prepared = Internal(std::string("import: ") + e.what());
    }
    pipeline.Finish(std::move(prepared));
  });
  // Writes every batch; on the first failure the preparing thread is stopped and joined.
  Status written = [&]() -> Status {
    try {
      while (true) {
        QUITT_ASSIGN_OR_RETURN(auto batch, pipeline.Take());
        if (!batch) return OkStatus();
        if (!batch->writes.empty()) QUITT_RETURN_IF_ERROR(store.Write(batch->writes));
        if (batch->commit_after) {
          // The unused ids go back before each commit, so a failure later loses none.
          QUITT_RETURN_IF_ERROR(pipeline.ReleaseUnusedIds());
          QUITT_RETURN_IF_ERROR(transaction->Commit());
          QUITT_ASSIGN_OR_RETURN(transaction, store.Begin());
        }
        QUITT_RETURN_IF_ERROR(pipeline.TopUpIds());
        if (options.on_progress) {
          options.on_progress({batch->rows, batch->position, source.size()});
        }
      }
    } catch (const std::exception& e) {
      return Internal(std::string("import: ") + e.what());
    }
  }();
  if (!written.ok()) pipeline.Stop();
  preparing.join();
  QUITT_RETURN_IF_ERROR(written);  // the store failed: its transaction is not to be trusted
  // When the import stops for another reason or rejects the file, the unused ids go back before
  // the rollback: PostgreSQL's sequences are not rolled back (best effort; SQLite's are).
  if (!pipeline.outcome().ok()) {
    (void)pipeline.ReleaseUnusedIds();
    return pipeline.outcome();
  }

  ImportReport& report = importer.report();
  if (report.problem_rows > 0 && !options.keep_good_rows) {
    report.rejected = true;
    report.imported = 0;
    report.cases_opened = 0;
    report.customers_created = 0;
    (void)pipeline.ReleaseUnusedIds();
    transaction.reset();  // rolls back
    return report;
  }
  QUITT_RETURN_IF_ERROR(pipeline.ReleaseUnusedIds());
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  if (options.on_progress) options.on_progress({report.rows, source.position(), source.size()});
  return report;
}

}  // namespace quitt::app
