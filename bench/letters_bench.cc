// Letters benchmark (issue 6): PDF letters per second on all cores, print-batch rate, and
// e-mails built per second; prints input size, rates and peak memory.
//
// Usage: letters_bench [letters=4000] [threads=2]
// Each thread owns its PdfRenderer (pango contexts are per thread) and renders complete PDFs in
// memory from the shipped templates; the PDF bytes are counted and dropped, so memory stays
// bounded by one letter per thread.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/documents/email.h"
#include "adapters/documents/pdf_letter.h"
#include "adapters/documents/template_store.h"
#include "app/letters/delivery.h"
#include "app/letters/letter_fixtures.h"

namespace {

using quitt::adapters::documents::PdfRenderer;
using quitt::adapters::documents::TemplateSet;
using quitt::app::letters::Channel;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  const int letters = argc > 1 ? std::atoi(argv[1]) : 4000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  auto set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  if (!set.ok()) {
    std::fprintf(stderr, "%s\n", set.error().ToString().c_str());
    return 1;
  }
  const auto model_de = quitt::app::letters::SampleConsumerFirstReminder("de");
  const auto model_en = quitt::app::letters::SampleConsumerFirstReminder("en");

  // Warm-up: fontconfig and pango caches fill on the first letter of each thread.
  std::printf("letters_bench: %d letters (2-page first reminders, de/en alternating), %d threads\n",
              letters, threads);
  std::atomic<int> next{0};
  std::atomic<long long> bytes{0};
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      PdfRenderer renderer;
      for (int i = next++; i < letters; i = next++) {
        const auto& model = (i % 2 == 0) ? model_de : model_en;
        auto letter = set->Render(model, Channel::kLetter);
        if (!letter.ok()) {
          ++failures;
          continue;
        }
        auto pdf = renderer.RenderPdf(model, *letter);
        if (!pdf.ok()) {
          ++failures;
          continue;
        }
        bytes += static_cast<long long>(pdf->size());
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  const double pdf_seconds = Seconds(start);
  std::printf("  PDF letters:   %.0f letters/s (%.2f s, %.1f KiB/letter, %d failures)\n",
              letters / pdf_seconds, pdf_seconds, bytes.load() / 1024.0 / letters, failures.load());

  // Print batch: one thread writes one file.
  const int batch_letters = letters / 4;
  const std::string batch_path =
      (std::filesystem::temp_directory_path() / "quitt_letters_bench_batch.pdf").string();
  {
    PdfRenderer renderer;
    auto batch = quitt::adapters::documents::PdfBatch::Create(batch_path);
    const auto batch_start = std::chrono::steady_clock::now();
    for (int i = 0; i < batch_letters; ++i) {
      auto letter = set->Render(model_de, Channel::kLetter);
      if (!(*batch)->Add(renderer, model_de, *letter).ok()) return 1;
    }
    if (!(*batch)->Finish().ok()) return 1;
    const double s = Seconds(batch_start);
    std::printf("  print batch:   %.0f letters/s on 1 thread (%d letters, %d pages, %.1f MiB)\n",
                batch_letters / s, batch_letters, (*batch)->pages(),
                std::filesystem::file_size(batch_path) / 1048576.0);
    std::filesystem::remove(batch_path);
  }

  // E-mails: template render + MIME build (no PDF attached), one thread.
  const int emails = letters * 5;
  {
    long long total = 0;
    const auto email_start = std::chrono::steady_clock::now();
    for (int i = 0; i < emails; ++i) {
      auto rendered = set->Render(model_de, Channel::kEmail);
      quitt::adapters::documents::EmailMessage message;
      message.from_address = "service@quitt.example";
      message.to_name = model_de.customer.name;
      message.to_address = model_de.customer_email;
      message.subject = rendered->Part("subject");
      message.text = rendered->Part("text");
      message.html = rendered->Part("html");
      message.message_key = quitt::app::letters::MessageKey(model_de, Channel::kEmail, i + 1);
      total += static_cast<long long>(quitt::adapters::documents::BuildMimeMessage(message).size());
    }
    const double s = Seconds(email_start);
    std::printf("  e-mails built: %.0f messages/s on 1 thread (%d messages, %.1f KiB each)\n",
                emails / s, emails, total / 1024.0 / emails);
  }
  std::printf("  peak RSS:      %.1f MiB\n", PeakRssKb() / 1024.0);
  return failures.load() == 0 ? 0 : 1;
}
