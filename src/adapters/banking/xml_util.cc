#include "adapters/banking/xml_util.h"

#include "common/text.h"

namespace quitt::adapters::banking::xml {

Status CheckProlog(std::string_view text, std::string_view source) {
  const std::string where(source);
  if (text.size() >= 2 &&
      ((text[0] == '\xFE' && text[1] == '\xFF') || (text[0] == '\xFF' && text[1] == '\xFE'))) {
    return InvalidArgument(where + ": UTF-16 XML is not accepted; banks deliver camt in UTF-8");
  }
  std::size_t i = StartsWith(text, "\xEF\xBB\xBF") ? 3 : 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (text.substr(i, 2) == "<?") {
      const std::size_t end = text.find("?>", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 2;
    } else if (text.substr(i, 4) == "<!--") {
      const std::size_t end = text.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
    } else if (text.substr(i, 2) == "<!") {
      return InvalidArgument(where +
                             ": a DOCTYPE declaration is not allowed (it can define entities "
                             "that expand without bound or load external files)");
    } else {
      return OkStatus();  // the root element (or garbage the parser will name)
    }
  }
  return InvalidArgument(where + ": no root element found (empty or truncated file)");
}

std::string_view LocalName(const xmlNode* node) {
  return node == nullptr || node->name == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(node->name));
}

const xmlNode* Child(const xmlNode* node, std::string_view name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE && LocalName(child) == name) return child;
  }
  return nullptr;
}

const xmlNode* Path(const xmlNode* node, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    node = Child(node, name);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::vector<const xmlNode*> Children(const xmlNode* node, std::string_view name) {
  std::vector<const xmlNode*> out;
  if (node == nullptr) return out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE && LocalName(child) == name) out.push_back(child);
  }
  return out;
}

std::string Text(const xmlNode* node) {
  if (node == nullptr) return std::string();
  // Leaf elements hold one text node: read it directly instead of allocating via xmlNodeGetContent.
  const xmlNode* child = node->children;
  if (child != nullptr && child->next == nullptr && child->type == XML_TEXT_NODE) {
    return std::string(Trim(reinterpret_cast<const char*>(child->content)));
  }
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return std::string();
  std::string out(Trim(reinterpret_cast<const char*>(content)));
  xmlFree(content);
  return out;
}

std::string Attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return std::string();
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return std::string();
  std::string out(Trim(reinterpret_cast<const char*>(value)));
  xmlFree(value);
  return out;
}

}  // namespace quitt::adapters::banking::xml
