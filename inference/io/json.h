#pragma once
// A small strict JSON reader for the inference side (safetensors headers, golden manifests,
// model configs). No Qt here, so this is our own: RFC 8259, UTF-8 validated, depth-limited,
// errors with byte offsets. Numbers are kept as double plus the exact int64 when integral.

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfs::inference::json {

class ParseError : public std::runtime_error {
public:
    ParseError(const std::string& what, size_t offset)
        : std::runtime_error(what + " at byte " + std::to_string(offset)), m_offset(offset) {}
    size_t offset() const { return m_offset; }

private:
    size_t m_offset;
};

class Value {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    using Array = std::vector<Value>;
    // Members in document order; duplicate keys are rejected by the parser.
    using Object = std::vector<std::pair<std::string, Value>>;

    Value() = default;
    static Value makeBool(bool b);
    static Value makeNumber(double d, bool integral, int64_t i);
    static Value makeString(std::string s);
    static Value makeArray(Array a);
    static Value makeObject(Object o);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isInteger() const { return m_type == Type::Number && m_integral; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }

    // Typed access; throws std::runtime_error naming `what` when the type is wrong.
    bool asBool(const std::string& what = "value") const;
    double asDouble(const std::string& what = "value") const;
    int64_t asInt(const std::string& what = "value") const;
    const std::string& asString(const std::string& what = "value") const;
    const Array& asArray(const std::string& what = "value") const;
    const Object& asObject(const std::string& what = "value") const;

    // Object member lookup: nullptr when absent (or when this is not an object).
    const Value* find(std::string_view key) const;
    // Object member that must exist; throws naming the key.
    const Value& at(std::string_view key) const;
    size_t size() const;

private:
    Type m_type = Type::Null;
    bool m_bool = false;
    bool m_integral = false;
    double m_number = 0.0;
    int64_t m_int = 0;
    std::shared_ptr<const std::string> m_string;
    std::shared_ptr<const Array> m_array;
    std::shared_ptr<const Object> m_object;
};

struct ParseOptions {
    size_t maxDepth = 64;
};

// Parses a whole document; trailing non-whitespace is an error.
Value parse(std::string_view text, const ParseOptions& options = {});

// Checks that bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view bytes, size_t* errorOffset = nullptr);

} // namespace sfs::inference::json
