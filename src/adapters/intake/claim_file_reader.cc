#include "adapters/intake/claim_file_reader.h"

#include <pthread.h>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/text.h"

namespace quitt::adapters::intake {

namespace {

// Supplies bytes from a file (in blocks) or from memory.
class ByteInput {
 public:
  virtual ~ByteInput() = default;
  // Appends up to `max` bytes to `buffer`; returns how many (0 at the end). Errors as Status.
  virtual Result<std::size_t> Read(std::string& buffer, std::size_t max) = 0;
  virtual std::int64_t size() const = 0;
};

class FileInput : public ByteInput {
 public:
  static Result<std::unique_ptr<FileInput>> Open(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return NotFound("cannot open '" + path + "'");
    std::fseek(file, 0, SEEK_END);
    long size = std::ftell(file);
    std::fseek(file, 0, SEEK_SET);
    return std::unique_ptr<FileInput>(new FileInput(file, path, size < 0 ? 0 : size));
  }
  ~FileInput() override { std::fclose(file_); }
  Result<std::size_t> Read(std::string& buffer, std::size_t max) override {
    const std::size_t old = buffer.size();
    buffer.resize(old + max);
    std::size_t got = std::fread(buffer.data() + old, 1, max, file_);
    buffer.resize(old + got);
    if (got == 0 && std::ferror(file_)) return Unavailable("cannot read '" + path_ + "'");
    return got;
  }
  std::int64_t size() const override { return size_; }

 private:
  FileInput(std::FILE* file, std::string path, std::int64_t size)
      : file_(file), path_(std::move(path)), size_(size) {}
  std::FILE* file_;
  std::string path_;
  std::int64_t size_;
};

class MemoryInput : public ByteInput {
 public:
  explicit MemoryInput(std::string text) : text_(std::move(text)) {}
  Result<std::size_t> Read(std::string& buffer, std::size_t max) override {
    std::size_t n = std::min(max, text_.size() - offset_);
    buffer.append(text_, offset_, n);
    offset_ += n;
    return n;
  }
  std::int64_t size() const override { return static_cast<std::int64_t>(text_.size()); }

 private:
  std::string text_;
  std::size_t offset_ = 0;
};

// Splits the input into records: CSV records may span lines inside quotes. Tracks the physical
// line where each record starts.
class RecordReader {
 public:
  RecordReader(std::unique_ptr<ByteInput> input, bool csv_quotes)
      : input_(std::move(input)), csv_quotes_(csv_quotes) {}

  // Next record without its line ending; false at the end.
  Result<bool> Next(std::string& record, std::int64_t& line) {
    while (true) {
      // Look for the end of the record in what is buffered.
      bool quoted = false;
      std::size_t i = pos_;
      std::int64_t newlines = 0;
      for (; i < buffer_.size(); ++i) {
        char c = buffer_[i];
        if (c == '"' && csv_quotes_) {
          quoted = !quoted;
        } else if (c == '\n') {
          if (!quoted) break;
          ++newlines;
        }
      }
      if (i < buffer_.size() || eof_) {
        if (pos_ >= buffer_.size() && eof_) return false;
        std::size_t end = i;
        record.assign(buffer_, pos_, end - pos_);
        if (!record.empty() && record.back() == '\r') record.pop_back();
        line = next_line_;
        next_line_ += newlines + 1;
        consumed_ += static_cast<std::int64_t>(std::min(end + 1, buffer_.size()) - pos_);
        pos_ = std::min(end + 1, buffer_.size());
        if (eof_ && end >= buffer_.size() && record.empty()) return false;
        return true;
      }
      // Need more bytes: drop what was used, read another block.
      buffer_.erase(0, pos_);
      pos_ = 0;
      QUITT_ASSIGN_OR_RETURN(std::size_t got, input_->Read(buffer_, 1 << 20));
      if (got == 0) eof_ = true;
    }
  }
  std::int64_t consumed() const { return consumed_; }
  std::int64_t size() const { return input_->size(); }

 private:
  std::unique_ptr<ByteInput> input_;
  bool csv_quotes_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::int64_t next_line_ = 1;
  std::int64_t consumed_ = 0;
};

// Turns raw record bytes into UTF-8 text.
class Decoder {
 public:
  explicit Decoder(Encoding encoding) : encoding_(encoding) {}
  // Returns false when the record is invalid in the declared encoding (UTF-8 declared).
  bool Decode(std::string& record) {
    if (first_) {
      first_ = false;
      if (StartsWith(record, "\xEF\xBB\xBF")) record.erase(0, 3);  // UTF-8 byte order mark
    }
    if (encoding_ == Encoding::kWindows1252) {
      record = Windows1252ToUtf8(record);
      return true;
    }
    if (IsValidUtf8(record)) return true;
    if (encoding_ == Encoding::kUtf8) return false;
    // Auto: the first row that is not UTF-8 shows the file is Windows-1252 (German Excel).
    encoding_ = Encoding::kWindows1252;
    record = Windows1252ToUtf8(record);
    return true;
  }

 private:
  Encoding encoding_;
  bool first_ = true;
};

// RFC 4180 field splitting with a given separator; quotes may contain separators, newlines and
// doubled quotes. `fields` views point into `scratch` or `record`.
bool SplitCsv(const std::string& record, char separator, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < record.size(); ++i) {
    char c = record[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < record.size() && record[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && !was_quoted && Trim(field).empty()) {
      field.clear();
      quoted = true;
      was_quoted = true;
    } else if (c == separator) {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

char DetectSeparator(const std::string& header) {
  std::size_t semicolons = 0, commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ';') ++semicolons;
    if (c == ',') ++commas;
    if (c == '\t') ++tabs;
  }
  if (tabs > semicolons && tabs > commas) return '\t';
  return semicolons > commas ? ';' : ',';
}

class CsvSource : public app::ClaimSource {
 public:
  static Result<std::unique_ptr<CsvSource>> Open(std::string name, std::unique_ptr<ByteInput> input,
                                                 const ReaderOptions& options) {
    std::unique_ptr<CsvSource> source(new CsvSource(std::move(name), std::move(input), options));
    QUITT_RETURN_IF_ERROR(source->ReadHeader());
    return source;
  }

  Result<bool> Next(app::IntakeRow& row) override {
    std::string record;
    std::int64_t line = 0;
    while (true) {
      QUITT_ASSIGN_OR_RETURN(bool more, records_.Next(record, line));
      if (!more) return false;
      if (!Trim(record).empty()) break;  // blank lines are not rows
    }
    row.line = line;
    row.problems.clear();
    if (!decoder_.Decode(record)) {
      row.problems.push_back({line, "", "is not valid UTF-8 (use --encoding windows-1252)"});
      return true;
    }
    if (!SplitCsv(record, separator_, fields_)) {
      row.problems.push_back({line, "", "a quoted field is not closed"});
      return true;
    }
    if (fields_.size() != columns_.size()) {
      row.problems.push_back({line, "",
                              "has " + std::to_string(fields_.size()) + " fields, the header has " +
                                  std::to_string(columns_.size())});
      return true;
    }
    FieldValues values{};
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i]) values[static_cast<std::size_t>(*columns_[i])] = fields_[i];
    }
    BuildRow(values, context_, row);
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return records_.consumed(); }
  std::int64_t size() const override { return records_.size(); }

 private:
  CsvSource(std::string name, std::unique_ptr<ByteInput> input, const ReaderOptions& options)
      : name_(std::move(name)), records_(std::move(input), true), decoder_(options.encoding) {
    context_.decimal = options.decimal;
    context_.phones = &phones_;
  }

  Status ReadHeader() {
    std::string header;
    std::int64_t line = 0;
    QUITT_ASSIGN_OR_RETURN(bool any, records_.Next(header, line));
    if (!any || Trim(header).empty()) return InvalidArgument(name_ + ": the file is empty");
    if (!decoder_.Decode(header)) return InvalidArgument(name_ + ":1: header is not valid UTF-8");
    separator_ = DetectSeparator(header);
    context_.semicolon_file = separator_ == ';';
    std::vector<std::string> names;
    SplitCsv(header, separator_, names);
    std::vector<std::string> problems;
    std::array<bool, kFieldCount> seen{};
    for (const std::string& column : names) {
      auto field = FieldForHeader(column);
      if (field) {
        auto index = static_cast<std::size_t>(*field);
        if (seen[index])
          problems.push_back("column '" + column + "' repeats field " + FieldName(*field));
        seen[index] = true;
      }
      columns_.push_back(field);
    }
    for (Field required :
         {Field::kClientReference, Field::kAmount, Field::kInvoiceDate, Field::kDueDate}) {
      if (!seen[static_cast<std::size_t>(required)]) {
        problems.push_back(std::string("no column for ") + FieldName(required));
      }
    }
    if (!seen[static_cast<std::size_t>(Field::kName)] &&
        !seen[static_cast<std::size_t>(Field::kCompany)] &&
        !seen[static_cast<std::size_t>(Field::kLastName)]) {
      problems.push_back("no column for name (or company, or last_name)");
    }
    if (!problems.empty()) {
      std::string message = name_ + ":1: header: ";
      for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
      return InvalidArgument(message + " (see docs/import-format.md for the column names)");
    }
    return OkStatus();
  }

  std::string name_;
  RecordReader records_;
  Decoder decoder_;
  char separator_ = ',';
  RowContext context_;
  std::vector<std::optional<Field>> columns_;
  std::vector<std::string> fields_;
  PhoneCache phones_;
};

class JsonLinesSource : public app::ClaimSource {
 public:
  JsonLinesSource(std::string name, std::unique_ptr<ByteInput> input, const ReaderOptions& options)
      : name_(std::move(name)), records_(std::move(input), false), decoder_(options.encoding) {
    context_.decimal = DecimalStyle::kPoint;
    context_.phones = &phones_;
  }

  Result<bool> Next(app::IntakeRow& row) override {
    std::string record;
    std::int64_t line = 0;
    while (true) {
      QUITT_ASSIGN_OR_RETURN(bool more, records_.Next(record, line));
      if (!more) return false;
      if (!Trim(record).empty()) break;
    }
    row.line = line;
    row.problems.clear();
    if (!decoder_.Decode(record)) {
      row.problems.push_back({line, "", "is not valid UTF-8"});
      return true;
    }
    nlohmann::json object = nlohmann::json::parse(record, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      row.problems.push_back({line, "", "is not a JSON object"});
      return true;
    }
    FieldValues values{};
    strings_.clear();
    strings_.reserve(object.size());
    for (auto& [key, value] : object.items()) {
      auto field = FieldForHeader(key);
      if (!field) continue;
      if (value.is_null()) continue;
      if (value.is_string()) {
        strings_.push_back(value.get<std::string>());
      } else if (value.is_boolean()) {
        strings_.push_back(value.get<bool>() ? "true" : "false");
      } else if (value.is_number_integer() && *field != Field::kAmount && *field != Field::kCosts) {
        strings_.push_back(value.dump());
      } else {
        row.problems.push_back({line, FieldName(*field),
                                value.is_number()
                                    ? "must be a string such as \"123.45\" (a JSON number can "
                                      "lose cents)"
                                    : "must be a string"});
        continue;
      }
      values[static_cast<std::size_t>(*field)] = strings_.back();
    }
    if (!row.problems.empty()) return true;
    BuildRow(values, context_, row);
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return records_.consumed(); }
  std::int64_t size() const override { return records_.size(); }

 private:
  std::string name_;
  RecordReader records_;
  Decoder decoder_;
  RowContext context_;
  std::vector<std::string> strings_;
  PhoneCache phones_;
};

// Runs another source on a background thread and hands rows over in blocks.
class ReadAheadSource : public app::ClaimSource {
 public:
  explicit ReadAheadSource(std::unique_ptr<app::ClaimSource> inner) : inner_(std::move(inner)) {
    worker_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "quitt-reader");  // tells the threads apart in perf/top
      Produce();
    });
  }
  ~ReadAheadSource() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  Result<bool> Next(app::IntakeRow& row) override {
    if (current_index_ >= current_.size()) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !blocks_.empty() || finished_; });
      if (blocks_.empty()) {
        if (!error_.ok()) return error_;
        return false;
      }
      current_ = std::move(blocks_.front());
      blocks_.pop_front();
      position_ = positions_.front();
      positions_.pop_front();
      current_index_ = 0;
      changed_.notify_all();
    }
    row = std::move(current_[current_index_++]);
    return true;
  }
  const std::string& name() const override { return inner_->name(); }
  std::int64_t position() const override { return position_; }
  std::int64_t size() const override { return inner_->size(); }

 private:
  static constexpr std::size_t kBlockRows = 2048;
  static constexpr std::size_t kMaxBlocks = 8;  // bounds memory: at most ~16k rows ahead

  void Produce() {
    while (true) {
      std::vector<app::IntakeRow> block;
      block.reserve(kBlockRows);
      Status status;
      bool end = false;
      while (block.size() < kBlockRows) {
        app::IntakeRow row;
        auto more = inner_->Next(row);
        if (!more) {
          status = more.error();
          end = true;
          break;
        }
        if (!*more) {
          end = true;
          break;
        }
        block.push_back(std::move(row));
      }
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return blocks_.size() < kMaxBlocks || stop_; });
      if (stop_) return;
      if (!block.empty()) {
        blocks_.push_back(std::move(block));
        positions_.push_back(inner_->position());
      }
      if (end) {
        finished_ = true;
        error_ = status;
      }
      changed_.notify_all();
      if (end) return;
    }
  }

  std::unique_ptr<app::ClaimSource> inner_;
  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<app::IntakeRow>> blocks_;
  std::deque<std::int64_t> positions_;
  bool finished_ = false;
  bool stop_ = false;
  Status error_;
  std::vector<app::IntakeRow> current_;
  std::size_t current_index_ = 0;
  std::int64_t position_ = 0;
};

Result<std::unique_ptr<app::ClaimSource>> Open(std::string name, std::unique_ptr<ByteInput> input,
                                               const ReaderOptions& options) {
  FileFormat format = options.format;
  if (format == FileFormat::kAuto) {
    std::string lower = ToLowerAscii(name);
    auto ends = [&](std::string_view suffix) {
      return lower.size() >= suffix.size() &&
             lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    format = ends(".jsonl") || ends(".ndjson") || ends(".json") ? FileFormat::kJsonLines
                                                                : FileFormat::kCsv;
  }
  std::unique_ptr<app::ClaimSource> source;
  if (format == FileFormat::kCsv) {
    QUITT_ASSIGN_OR_RETURN(auto csv, CsvSource::Open(name, std::move(input), options));
    source = std::move(csv);
  } else {
    source = std::make_unique<JsonLinesSource>(name, std::move(input), options);
  }
  if (options.read_ahead) source = std::make_unique<ReadAheadSource>(std::move(source));
  return source;
}

}  // namespace

Result<std::unique_ptr<app::ClaimSource>> OpenClaimFile(const std::string& path,
                                                        const ReaderOptions& options) {
  QUITT_ASSIGN_OR_RETURN(auto input, FileInput::Open(path));
  return Open(path, std::move(input), options);
}

Result<std::unique_ptr<app::ClaimSource>> OpenClaimText(std::string name, std::string text,
                                                        const ReaderOptions& options) {
  return Open(std::move(name), std::make_unique<MemoryInput>(std::move(text)), options);
}

}  // namespace quitt::adapters::intake
