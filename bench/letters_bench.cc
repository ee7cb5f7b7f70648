// Letters benchmark (issue 6): PDF letters per second on all cores, print-batch rate, and
// e-mails built per second; prints input size, rates and peak memory.
//
// Usage: letters_bench [letters=4000] [threads=2] [own|cairo] [zlib level of page contents=1]
// Each thread owns its PdfRenderer (pango contexts are per thread) and renders complete PDFs in
// memory from the shipped templates; the PDF bytes are counted and dropped, so memory stays
// bounded by one letter per thread. Every letter has its own customer, case number, payment and
// QR code (built in the loop), so caches only help with what really repeats. `cairo` forces the
// reference path (cairo's PDF surface) to compare.
#include <sys/resource.h>
#include <time.h>

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

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string LoadAverage() {
  char buffer[64] = {};
  if (FILE* file = std::fopen("/proc/loadavg", "r")) {
    if (!std::fgets(buffer, sizeof buffer, file)) buffer[0] = 0;
    std::fclose(file);
  }
  std::string text(buffer);
  // The first three fields: 1, 5 and 15 minutes.
  size_t cut = 0;
  for (int i = 0; i < 3 && cut != std::string::npos; ++i) cut = text.find(' ', cut + 1);
  return text.substr(0, cut);
}

// Letter i of the run: the sample with its own customer, case, payment and QR payload.
quitt::app::letters::LetterModel Vary(quitt::app::letters::LetterModel m, int i) {
  using quitt::domain::Money;
  static const char* const kNames[] = {"Jürgen Müller", "Ayşe Yılmaz",   "Zofia Kowalczyk",
                                       "Luca Rossi",    "Søren Ødegård", "Marie Lefèvre"};
  m.customer.name = std::string(kNames[i % 6]) + " " + std::to_string(i);
  m.customer.street = "Hauptstraße " + std::to_string(1 + i % 180);
  m.customer.postcode = std::to_string(10115 + i % 9000);
  m.case_number = quitt::domain::CaseNumber::FromSequence(100000 + i).value();
  m.payments.at(0).amount = Money::FromMinorUnits(1000 + (i * 37) % 9000, m.total_due.currency());
  m.total_due = m.ComputedTotal();
  m.payment.rf_reference =
      quitt::domain::CreditorReference::Create(std::to_string(700000 + i)).value();
  m.payment.portal_pin = std::to_string(100000 + (i * 7919) % 900000);
  m.payment.epc_qr_payload = "BCD\n002\n1\nSCT\n" + m.payment.bic + "\n" +
                             m.payment.account_holder + "\nDE89370400440532013000\nEUR" +
                             m.total_due.ToDecimalString() + "\n\n" +
                             m.payment.rf_reference->electronic();
  return m;
}

// CPU time of the calling thread: phase costs that do not depend on how busy the machine is.
long long ThreadCpuNs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
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
  PdfRenderer::Options options;
  options.cairo_only = argc > 3 && std::string(argv[3]) == "cairo";
  if (argc > 4) options.zlib_level = std::atoi(argv[4]);
  auto set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  if (!set.ok()) {
    std::fprintf(stderr, "%s\n", set.error().ToString().c_str());
    return 1;
  }
  const auto model_de = quitt::app::letters::SampleConsumerFirstReminder("de");
  const auto model_en = quitt::app::letters::SampleConsumerFirstReminder("en");

  // Warm-up: fontconfig and pango caches fill on the first letter of each thread.
  std::printf(
      "letters_bench: %d letters (2-page first reminders, de/en alternating), %d threads, %s, "
      "load average %s\n",
      letters, threads, options.cairo_only ? "cairo only" : "own writer", LoadAverage().c_str());
  std::atomic<int> next{0};
  std::atomic<long long> bytes{0};
  std::atomic<int> failures{0};
  std::atomic<long long> fallbacks{0};
  std::atomic<long long> template_ns{0};
  std::atomic<long long> pdf_ns{0};
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      PdfRenderer renderer(options);
      long long template_time = 0;
      long long pdf_time = 0;
      for (int i = next++; i < letters; i = next++) {
        const long long t0 = ThreadCpuNs();
        const auto model = Vary((i % 2 == 0) ? model_de : model_en, i);
        auto letter = set->Render(model, Channel::kLetter);
        const long long t1 = ThreadCpuNs();
        template_time += t1 - t0;
        if (!letter.ok()) {
          if (failures++ == 0) std::fprintf(stderr, "%s\n", letter.error().ToString().c_str());
          continue;
        }
        auto pdf = renderer.RenderPdf(model, *letter);
        pdf_time += ThreadCpuNs() - t1;
        if (!pdf.ok()) {
          if (failures++ == 0) std::fprintf(stderr, "%s\n", pdf.error().ToString().c_str());
          continue;
        }
        bytes += static_cast<long long>(pdf->size());
      }
      fallbacks += renderer.cairo_fallbacks();
      template_ns += template_time;
      pdf_ns += pdf_time;
    });
  }
  for (std::thread& thread : pool) thread.join();
  const double pdf_seconds = Seconds(start);
  const double cpu_seconds = CpuSeconds() - cpu_start;
  std::printf(
      "  PDF letters:   %.0f letters/s (%.2f s, %.2f ms/letter wall, %.2f ms CPU/letter, "
      "%.1f KiB/letter, %d failures, %lld via cairo)\n",
      letters / pdf_seconds, pdf_seconds, pdf_seconds * 1000 / letters,
      cpu_seconds * 1000 / letters, bytes.load() / 1024.0 / letters, failures.load(),
      fallbacks.load());
  std::printf("    CPU per letter in the threads: model + template %.3f ms, PDF %.3f ms\n",
              template_ns.load() / 1e6 / letters, pdf_ns.load() / 1e6 / letters);
  std::printf("  peak RSS after PDF letters: %.1f MiB\n", PeakRssKb() / 1024.0);

  // Print batch: one thread writes one file (own writer, or cairo with `cairo`).
  const int batch_letters = letters / 4;
  const std::string batch_path =
      (std::filesystem::temp_directory_path() / "quitt_letters_bench_batch.pdf").string();
  {
    PdfRenderer renderer(options);
    auto batch = quitt::adapters::documents::PdfBatch::Create(batch_path);
    const auto batch_start = std::chrono::steady_clock::now();
    const long long batch_cpu = ThreadCpuNs();
    for (int i = 0; i < batch_letters; ++i) {
      const auto model = Vary(model_de, i);
      auto letter = set->Render(model, Channel::kLetter);
      if (!letter.ok() || !(*batch)->Add(renderer, model, *letter).ok()) return 1;
    }
    if (!(*batch)->Finish().ok()) return 1;
    const double s = Seconds(batch_start);
    std::printf(
        "  print batch:   %.0f letters/s on 1 thread (%.2f ms CPU/letter, %d letters, %d pages, "
        "%.1f MiB)\n",
        batch_letters / s, (ThreadCpuNs() - batch_cpu) / 1e6 / batch_letters, batch_letters,
        (*batch)->pages(), std::filesystem::file_size(batch_path) / 1048576.0);
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
