#include "adapters/banking/qr_render.h"

#include <png.h>
#include <qrencode.h>

#include <csetjmp>
#include <memory>

namespace quitt::adapters::banking {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

void AppendToString(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void FlushNothing(png_structp) {}

// Kept free of objects with destructors: libpng reports errors by longjmp.
bool WritePng(png_structp png, png_infop info, std::string* out, int width,
              const std::vector<png_bytep>* rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, out, AppendToString, FlushNothing);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(width), 1,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, const_cast<png_bytepp>(rows->data()));
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

Result<QrMatrix> EncodeQr(std::string_view payload, int max_version) {
  if (payload.empty()) return InvalidArgument("QR code: the payload is empty");
  std::unique_ptr<QRcode, QrCodeDeleter> code(
      QRcode_encodeData(static_cast<int>(payload.size()),
                        reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M));
  if (!code) {
    return InvalidArgument("QR code: libqrencode cannot encode a payload of " +
                           std::to_string(payload.size()) + " bytes at level M");
  }
  if (code->version > max_version) {
    return InvalidArgument("QR code: a payload of " + std::to_string(payload.size()) +
                           " bytes needs symbol version " + std::to_string(code->version) +
                           ", at most " + std::to_string(max_version) + " is allowed");
  }
  QrMatrix matrix;
  matrix.version = code->version;
  matrix.size = code->width;
  matrix.dark.resize(static_cast<std::size_t>(code->width) * code->width);
  for (std::size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = (code->data[i] & 1) != 0;
  return matrix;
}

Result<std::string> RenderQrPng(const QrMatrix& matrix, const QrImageOptions& options) {
  if (options.module_pixels < 1 || options.module_pixels > 64 || options.quiet_zone < 0 ||
      options.quiet_zone > 16) {
    return InvalidArgument("QR PNG: module_pixels must be 1..64 and quiet_zone 0..16");
  }
  const int modules = matrix.size + 2 * options.quiet_zone;
  const int width = modules * options.module_pixels;
  const int row_bytes = (width + 7) / 8;
  // 1-bit greyscale: a set bit is white, so dark modules are cleared bits.
  std::vector<png_byte> pixels(static_cast<std::size_t>(row_bytes) * width, 0xFF);
  for (int y = 0; y < width; ++y) {
    const int my = y / options.module_pixels - options.quiet_zone;
    for (int x = 0; x < width; ++x) {
      const int mx = x / options.module_pixels - options.quiet_zone;
      if (mx < 0 || my < 0 || mx >= matrix.size || my >= matrix.size || !matrix.At(mx, my)) {
        continue;
      }
      pixels[static_cast<std::size_t>(y) * row_bytes + x / 8] &=
          static_cast<png_byte>(~(0x80 >> (x % 8)));
    }
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(width));
  for (int y = 0; y < width; ++y) rows[y] = pixels.data() + static_cast<std::size_t>(y) * row_bytes;

  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return Internal("QR PNG: libpng could not start");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return Internal("QR PNG: libpng could not start");
  }
  std::string out;
  const bool ok = WritePng(png, info, &out, width, &rows);
  png_destroy_write_struct(&png, &info);
  if (!ok) return Internal("QR PNG: libpng failed to write the image");
  return out;
}

std::string RenderQrSvg(const QrMatrix& matrix, const QrImageOptions& options) {
  const int quiet = options.quiet_zone < 0 ? 0 : options.quiet_zone;
  const int modules = matrix.size + 2 * quiet;
  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(modules) +
         " " + std::to_string(modules) + "\" shape-rendering=\"crispEdges\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
  for (int y = 0; y < matrix.size; ++y) {
    int x = 0;
    while (x < matrix.size) {
      if (!matrix.At(x, y)) {
        ++x;
        continue;
      }
      // One rectangle per horizontal run of dark modules keeps the file small.
      int run = 1;
      while (x + run < matrix.size && matrix.At(x + run, y)) ++run;
      svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" +
             std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  svg += "\"/>\n</svg>\n";
  return svg;
}

}  // namespace quitt::adapters::banking
