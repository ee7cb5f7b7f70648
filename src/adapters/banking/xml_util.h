#pragma once
// Shared libxml2 helpers of the banking adapter: hardened parse options, a prolog check that
// refuses DOCTYPEs before libxml2 sees them, and small accessors over element trees by local name
// (ISO 20022 documents use one default namespace, so the local name is what identifies an element).
#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace quitt::adapters::banking::xml {

// No network, no DTD loading or attribute defaults from a DTD, no entity substitution; libxml2's
// built-in size limits stay on (no XML_PARSE_HUGE).
inline constexpr int kSafeParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS;

// Checks the bytes before the root element: UTF-8 only, and no <!DOCTYPE (which is where entity
// definitions, external or recursive, would live). `source` names the file in the message.
Status CheckProlog(std::string_view text, std::string_view source);

std::string_view LocalName(const xmlNode* node);
// First child element called `name`, or nullptr.
const xmlNode* Child(const xmlNode* node, std::string_view name);
// Follows child elements by name: Path(ntry, {"BookgDt", "Dt"}).
const xmlNode* Path(const xmlNode* node, std::initializer_list<std::string_view> names);
std::vector<const xmlNode*> Children(const xmlNode* node, std::string_view name);
// The element's text, trimmed; empty for nullptr.
std::string Text(const xmlNode* node);
std::string Attribute(const xmlNode* node, const char* name);

}  // namespace quitt::adapters::banking::xml
