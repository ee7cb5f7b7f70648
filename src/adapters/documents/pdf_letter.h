#pragma once
// PDF letters with cairo + pango: DIN 5008 type B window-envelope layout, fonts embedded
// (DejaVu Sans from fonts-dejavu-core, subset by cairo), the EPC QR code for the amount due drawn
// as vector modules from the model's payload (libqrencode, level M as EPC069-12 requires), the
// interest table from the template's tab directives, page numbers "Seite 1 von 2".
//
// The letter's words come from the rendered template parts (subject, info, body, footer, page);
// this file only places them. Body syntax: blocks separated by blank lines; a block may start with
//   [[tabs 120r 165r]]  tab stops in mm from the text's left edge, l (default) or r aligned
//   [[qr]]              the QR code to the left of the block's text, kept on one page
// Body text is Pango markup (<b>, <i>, <small>); values were escaped when rendered.
//
// Layout is pango's in every case (one cached layout per paragraph); the PDF is written by the
// own writer (pdf_writer.h, about 5x less CPU than cairo's PDF surface) or, for letters it cannot
// draw and with Options::cairo_only, by cairo. Both give the same text in the same places.
//
// DIN 5008:2020 form B positions (mm from the page's top-left): address field 20/45, 85 × 45,
// of which 17.7 mm return-address and note zone above 27.3 mm address zone; information block
// from 125 mm at 50 mm; subject at 103.46 mm; left margin 25 mm, right margin 20 mm; fold marks
// at 105 and 210 mm, punch mark at 148.5 mm.
// Source: DIN 5008:2020-03 as summarised at https://de.wikipedia.org/wiki/DIN_5008 .
#include <cstdio>
#include <memory>
#include <string>

#include "adapters/documents/template_store.h"
#include "app/letters/letter_model.h"
#include "common/status.h"

namespace quitt::adapters::documents {

namespace pdf {
class Document;
}

class PdfRenderer {
 public:
  struct Options {
    // Every letter through cairo's PDF surface (the reference; about 10x slower). Otherwise
    // letters go through the own writer (pdf_writer.h) and fall back to cairo only when a
    // glyph or attribute is outside what it handles.
    bool cairo_only = false;
    // zlib level of the page content streams in the own writer (0 = uncompressed).
    int zlib_level = 1;
    // Shaped layouts kept for reuse (static paragraphs, head, footer); the cache is emptied
    // when it grows past this, which bounds memory.
    int layout_cache_entries = 400;
  };

  // Owns a font map, pango context and layout cache: create one per thread, do not share.
  PdfRenderer();
  explicit PdfRenderer(Options options);
  ~PdfRenderer();
  PdfRenderer(const PdfRenderer&) = delete;
  PdfRenderer& operator=(const PdfRenderer&) = delete;

  // One letter as PDF bytes. `letter` is the template rendered for Channel::kLetter.
  Result<std::string> RenderPdf(const app::letters::LetterModel& model,
                                const RenderedMessage& letter);

  // Draws the letter onto an open PDF surface (used by PdfBatch). Returns its page count.
  Result<int> DrawOnto(void* cairo_context, const app::letters::LetterModel& model,
                       const RenderedMessage& letter);

  // Appends the letter's pages to a document of the own writer (used by PdfBatch).
  // FailedPrecondition when the letter needs cairo; the document is then unchanged.
  Result<int> AppendTo(pdf::Document& doc, const app::letters::LetterModel& model,
                       const RenderedMessage& letter);

  // Letters RenderPdf wrote through cairo although the own writer was allowed.
  long long cairo_fallbacks() const;
  bool cairo_only() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The print batch of a run: every letter one after the other in one PDF file, each starting on
// a new page with its own page numbers. Pages are streamed to the file as they are finished.
// The renderer of the first letter decides the writer: the own writer (default; fonts embedded
// once for the whole file), or cairo when that renderer is cairo_only. A letter the own writer
// cannot draw (see PdfRenderer::AppendTo) goes into a second file written by cairo,
// overflow_path() ("<name>-cairo.pdf"), created only when needed.
class PdfBatch {
 public:
  static Result<std::unique_ptr<PdfBatch>> Create(const std::string& path);
  ~PdfBatch();
  Status Add(PdfRenderer& renderer, const app::letters::LetterModel& model,
             const RenderedMessage& letter);
  // Writes the trailer; the file is complete only after this.
  Status Finish();
  // Both files together.
  int letters() const { return letters_; }
  int pages() const { return pages_; }
  // The cairo file of letters the own writer could not draw; empty when there is none.
  std::string overflow_path() const;

 private:
  PdfBatch() = default;
  void* surface_ = nullptr;  // cairo
  void* context_ = nullptr;
  std::FILE* file_ = nullptr;  // own writer
  std::unique_ptr<pdf::Document> doc_;
  std::string created_;
  bool finished_ = false;
  std::unique_ptr<PdfRenderer> overflow_renderer_;
  std::unique_ptr<PdfBatch> overflow_;
  std::string path_;
  int letters_ = 0;
  int pages_ = 0;
};

}  // namespace quitt::adapters::documents
