#include "domain/jurisdiction/de/base_rate.h"

#include "common/check.h"

namespace quitt::domain::de {
namespace {

Date Ymd(int y, int m, int d) {
  auto date = Date::FromYmd(y, m, d);
  QUITT_CHECK(date.ok());
  return *date;
}

struct RawRow {
  int year;
  int month;
  std::int32_t rate_bp;
  bool changed;
  const char* sources;
};

// Reference § 1.3, copied row by row; source keys: BB = Bundesbank series BBIN1, PWW = Prütting/
// Wegen/Weinreich § 247 Rn 3, EN = official English BGB translation footnote, AIS =
// ais-rechtsanwaelte.de table, TF = open-source fixture verified against the Bundesbank, PR =
// press release / announcement (URL given).
constexpr RawRow kRows[] = {
    {2002, 1, 257, true, "BB; EN (BAnz 2002 Nr. 3 S. 98)"},
    {2002, 7, 247, true, "BB; PWW; EN; AIS"},
    {2003, 1, 197, true, "BB; EN; AIS (PWW prints 1.3.-1.6.03, a typo)"},
    {2003, 7, 122, true, "BB; PWW; EN; AIS"},
    {2004, 1, 114, true, "BB; PWW; EN; AIS"},
    {2004, 7, 113, true, "BB; PWW; EN; AIS"},
    {2005, 1, 121, true, "BB; PWW; EN; AIS"},
    {2005, 7, 117, true, "BB; PWW; EN; AIS"},
    {2006, 1, 137, true, "BB; PWW; EN; AIS"},
    {2006, 7, 195, true, "BB; PWW; EN; AIS"},
    {2007, 1, 270, true, "BB; PWW; EN; AIS"},
    {2007, 7, 319, true, "BB; PWW; AIS"},
    {2008, 1, 332, true, "BB; PWW; AIS"},
    {2008, 7, 319, true, "BB; PWW; AIS"},
    {2009, 1, 162, true,
     "BB; PWW; AIS; PR https://lifepr.de/inaktiv/deutsche-bundesbank/"
     "anpassung-des-basiszinssatzes-zum-1-januar-2009-auf-1-62/boxid/81656"},
    {2009, 7, 12, true, "BB; PWW; AIS; https://lorenz.userweb.mwn.de/schumod/zinsen.htm"},
    {2010, 1, 12, false, "BB (implied); PWW; AIS"},
    {2010, 7, 12, false, "BB (implied); PWW; AIS"},
    {2011, 1, 12, false, "BB (implied); PWW; AIS"},
    {2011, 7, 37, true, "BB; PWW"},
    {2012, 1, 12, true, "BB; PWW"},
    {2012, 7, 12, false, "BB (implied); PWW"},
    {2013, 1, -13, true, "BB; PWW"},
    {2013, 7, -38, true, "BB; PWW; PR assekuranz-info-portal.de 2013/06"},
    {2014, 1, -63, true, "BB; PWW"},
    {2014, 7, -73, true, "BB; PWW"},
    {2015, 1, -83, true, "BB; PWW"},
    {2015, 7, -83, false, "BB (implied); PWW"},
    {2016, 1, -83, false, "BB (implied); PWW"},
    {2016, 7, -88, true,
     "BB; PWW; PR "
     "https://boersen-zeitung.de/banken-finanzen/basiszins-sinkt-auf-minus-088-prozent"},
    {2017, 1, -88, false, "BB (implied); PWW"},
    {2017, 7, -88, false, "BB; PWW"},
    {2018, 1, -88, false, "BB; PWW"},
    {2018, 7, -88, false, "BB; PWW"},
    {2019, 1, -88, false, "BB; PWW"},
    {2019, 7, -88, false, "BB; PWW; PR lifepr.de boxid 757316"},
    {2020, 1, -88, false, "BB; PWW"},
    {2020, 7, -88, false, "BB; PWW"},
    {2021, 1, -88, false, "BB; PWW; PR lifepr.de boxid 829433"},
    {2021, 7, -88, false, "BB; PWW"},
    {2022, 1, -88, false, "BB; PWW; TF"},
    {2022, 7, -88, false, "BB; PWW; TF"},
    {2023, 1, 162, true, "BB; PWW; TF; PR https://stb-bruns.com/basiszinssatz-wurde-angepasst/"},
    {2023, 7, 312, true, "BB; TF; PR finanznachrichten.de 2023-06"},
    {2024, 1, 362, true, "BB; TF; PR flash-up.com 2023/12"},
    {2024, 7, 337, true, "BB; TF; MRO 4.50 -> 4.25"},
    {2025, 1, 227, true, "BB; TF; MRO 3.15 % from Dec 2024"},
    {2025, 7, 127, true,
     "BB; PR https://www.malerblog.net/aufgepasst-verzugszinssaetze-sinken-zum-1-juli-2025"},
    {2026, 1, 127, false,
     "PR https://finanzmarktnachrichten.de/basiszinssatz-bleibt-ab-1-januar-2026-bei-127 "
     "(BAnz 24.12.2025)"},
};

Date NextHalfYear(Date d) { return d.AddMonths(6); }

}  // namespace

const BaseRateTable& BaseRateTable::Builtin() {
  static const BaseRateTable* table = [] {
    auto* t = new BaseRateTable();
    for (const RawRow& raw : kRows) {
      BaseRateRow row{Ymd(raw.year, raw.month, 1), raw.rate_bp, raw.changed, raw.sources};
      Status added = t->Add(row);
      QUITT_CHECK(added.ok());
    }
    return t;
  }();
  return *table;
}

Status BaseRateTable::Add(const BaseRateRow& row) {
  if (row.valid_from.day() != 1 || (row.valid_from.month() != 1 && row.valid_from.month() != 7)) {
    return InvalidArgument("base rate row " + row.valid_from.ToString() +
                           ": must start on 1 January or 1 July (§ 247(1) S.2 BGB)");
  }
  if (!rows_.empty() && row.valid_from != known_until_exclusive()) {
    return InvalidArgument("base rate row " + row.valid_from.ToString() +
                           ": expected the row for " + known_until_exclusive().ToString() +
                           " next");
  }
  rows_.push_back(row);
  return OkStatus();
}

Date BaseRateTable::known_until_exclusive() const {
  QUITT_CHECK(!rows_.empty());
  return NextHalfYear(rows_.back().valid_from);
}

std::optional<BaseRateRow> BaseRateTable::RowOn(Date day) const {
  if (rows_.empty() || day < rows_.front().valid_from || day >= known_until_exclusive()) {
    return std::nullopt;
  }
  // Half-years are consecutive, so the index follows from the date.
  int index = (day.year() - rows_.front().valid_from.year()) * 2 + (day.month() >= 7 ? 1 : 0) -
              (rows_.front().valid_from.month() == 7 ? 1 : 0);
  QUITT_CHECK(index >= 0 && index < static_cast<int>(rows_.size()));
  return rows_[static_cast<std::size_t>(index)];
}

}  // namespace quitt::domain::de
