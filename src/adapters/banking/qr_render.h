#pragma once
// Rendering a payload (an EPC QR payload from domain/payment/epc_qr.h) as a QR symbol: libqrencode
// builds the matrix in byte mode at error-correction level M, the EPC069-12 setting; the symbol
// version is the smallest that fits and must not exceed 13 (331 bytes). PNG is written with
// libpng (1-bit greyscale), SVG as one path of unit squares.
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace quitt::adapters::banking {

struct QrMatrix {
  int version = 0;         // QR symbol version, 1..40
  int size = 0;            // modules per side
  std::vector<bool> dark;  // row-major, size * size
  bool At(int x, int y) const { return dark[static_cast<std::size_t>(y) * size + x]; }
};

struct QrImageOptions {
  int module_pixels = 8;  // PNG: pixels per module
  int quiet_zone = 4;     // modules of white border (the QR standard asks for 4)
};

inline constexpr int kEpcMaxQrVersion = 13;

// Encodes `payload` byte for byte. Fails when it does not fit a version <= max_version symbol.
Result<QrMatrix> EncodeQr(std::string_view payload, int max_version = kEpcMaxQrVersion);

// PNG file bytes.
Result<std::string> RenderQrPng(const QrMatrix& matrix, const QrImageOptions& options = {});
// SVG document text; viewBox in modules, so it scales without blur.
std::string RenderQrSvg(const QrMatrix& matrix, const QrImageOptions& options = {});

}  // namespace quitt::adapters::banking
