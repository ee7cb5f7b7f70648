#include "adapters/banking/qr_render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "domain/payment/epc_qr.h"

namespace quitt::adapters::banking {
namespace {

using domain::Currency;
using domain::Money;
using domain::payment::BuildEpcQrPayload;
using domain::payment::EpcQrInput;

bool HaveZbarimg() { return std::system("command -v zbarimg >/dev/null 2>&1") == 0; }

// Decodes a PNG with zbarimg, the real decoder CI installs (zbar-tools). zbarimg ends its raw
// output with one newline of its own, which is removed.
std::string DecodeWithZbar(const std::string& png_bytes, const std::string& name) {
  const std::string path = ::testing::TempDir() + "quitt_qr_" + name + ".png";
  {
    std::ofstream out(path, std::ios::binary);
    out << png_bytes;
  }
  std::string command = "zbarimg --raw -q -Sbinary '" + path + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  std::size_t n;
  while (pipe != nullptr && (n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, n);
  if (pipe != nullptr) pclose(pipe);
  std::remove(path.c_str());
  if (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

std::string GiroCodePayload() {
  EpcQrInput input;
  input.bic = "COBADEFFXXX";
  input.beneficiary_name = "Müller & Söhne Inkasso GmbH";
  input.iban = "DE89370400440532013000";
  input.amount = Money::FromMinorUnits(123456, Currency::Eur());
  input.reference = *domain::CreditorReference::Create("Q000123456");
  input.hint = "Danke für Ihre Zahlung";
  auto payload = BuildEpcQrPayload(input);
  EXPECT_TRUE(payload.ok()) << payload.error().ToString();
  return payload.value_or(std::string());
}

TEST(QrRenderTest, EncodesAtLevelMWithinVersion13) {
  auto matrix = EncodeQr(GiroCodePayload());
  ASSERT_TRUE(matrix.ok()) << matrix.error().ToString();
  EXPECT_GE(matrix->version, 1);
  EXPECT_LE(matrix->version, kEpcMaxQrVersion);
  EXPECT_EQ(matrix->size, 17 + 4 * matrix->version);
  // 331 bytes is the byte-mode capacity of version 13 at level M; one byte more does not fit.
  auto full = EncodeQr(std::string(331, 'x'));
  ASSERT_TRUE(full.ok()) << full.error().ToString();
  EXPECT_EQ(full->version, 13);
  auto too_big = EncodeQr(std::string(332, 'x'));
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message().find("version 14"), std::string::npos);
  EXPECT_FALSE(EncodeQr("").ok());
}

TEST(QrRenderTest, PngDecodesToThePayloadWithZbar) {
  if (!HaveZbarimg()) GTEST_SKIP() << "zbarimg not installed (Debian package zbar-tools)";
  const std::string payload = GiroCodePayload();
  auto matrix = EncodeQr(payload);
  ASSERT_TRUE(matrix.ok());
  auto png = RenderQrPng(*matrix);
  ASSERT_TRUE(png.ok()) << png.error().ToString();
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ(png->substr(1, 3), "PNG");
  EXPECT_EQ(DecodeWithZbar(*png, "girocode"), payload);
}

TEST(QrRenderTest, LargestEpcPayloadDecodesWithZbar) {
  if (!HaveZbarimg()) GTEST_SKIP() << "zbarimg not installed (Debian package zbar-tools)";
  EpcQrInput input;
  input.bic = "COBADEFFXXX";
  input.beneficiary_name = std::string(70, 'N');
  input.iban = "DE89370400440532013000";
  input.amount = Money::FromMinorUnits(99'999'999'999, Currency::Eur());
  input.purpose = "GDDS";
  input.text = std::string(140, 'T');
  input.hint = std::string(48, 'H');
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  ASSERT_EQ(payload->size(), 331u);
  auto matrix = EncodeQr(*payload);
  ASSERT_TRUE(matrix.ok()) << matrix.error().ToString();
  EXPECT_EQ(matrix->version, 13);
  auto png = RenderQrPng(*matrix, QrImageOptions{.module_pixels = 4, .quiet_zone = 4});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(DecodeWithZbar(*png, "largest"), *payload);
}

TEST(QrRenderTest, EveryStandardExamplePayloadRoundTripsThroughZbar) {
  if (!HaveZbarimg()) GTEST_SKIP() << "zbarimg not installed (Debian package zbar-tools)";
  for (const char* name :
       {"epc069-12_v2.1_example1_structured-ref.utf8.txt",
        "epc069-12_v2.1_example2_unstructured.latin1.txt", "segno-docs_wikimedia_example.txt",
        "wikipedia_red-cross-belgium_example.v001.utf8.txt"}) {
    std::ifstream in(std::string(QUITT_SHARED_DIR) + "/standards/vectors/epc-qr/" + name,
                     std::ios::binary);
    ASSERT_TRUE(in.good()) << name;
    const std::string payload((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    auto matrix = EncodeQr(payload);
    ASSERT_TRUE(matrix.ok()) << name;
    auto png = RenderQrPng(*matrix);
    ASSERT_TRUE(png.ok()) << name;
    // -Sbinary keeps the bytes as encoded, so the ISO 8859-1 example comes back unchanged too.
    EXPECT_EQ(DecodeWithZbar(*png, "vector"), payload) << name;
  }
}

TEST(QrRenderTest, SvgDrawsExactlyTheDarkModules) {
  auto matrix = EncodeQr(GiroCodePayload());
  ASSERT_TRUE(matrix.ok());
  const std::string svg = RenderQrSvg(*matrix, QrImageOptions{.module_pixels = 1, .quiet_zone = 4});
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(matrix->size + 8)), std::string::npos);
  // Rebuild the matrix from the path's runs and compare module by module.
  std::vector<bool> drawn(matrix->dark.size(), false);
  std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-\d+z)");
  const std::string path = svg.substr(svg.find(" d=\""));
  for (auto it = std::sregex_iterator(path.begin(), path.end(), run); it != std::sregex_iterator();
       ++it) {
    const int x = std::stoi((*it)[1]) - 4;
    const int y = std::stoi((*it)[2]) - 4;
    const int length = std::stoi((*it)[3]);
    for (int i = 0; i < length; ++i)
      drawn[static_cast<std::size_t>(y) * matrix->size + x + i] = true;
  }
  EXPECT_EQ(drawn, matrix->dark);
}

TEST(QrRenderTest, RejectsBadImageOptions) {
  auto matrix = EncodeQr("BCD");
  ASSERT_TRUE(matrix.ok());
  EXPECT_FALSE(RenderQrPng(*matrix, QrImageOptions{.module_pixels = 0, .quiet_zone = 4}).ok());
}

}  // namespace
}  // namespace quitt::adapters::banking
