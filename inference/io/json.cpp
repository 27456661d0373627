#include "io/json.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

namespace sfs::inference::json {

namespace {

// Length of the UTF-8 sequence starting at p (0 when invalid).
size_t utf8SequenceLength(const unsigned char* p, size_t avail) {
    const unsigned char c = p[0];
    if (c < 0x80) {
        return 1;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > avail) {
        return 0;
    }
    for (size_t i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    static const uint32_t minForLen[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options) : m_s(text), m_opt(options) {}

    Value parseDocument() {
        skipWs();
        Value v = parseValue(0);
        skipWs();
        if (m_pos != m_s.size()) {
            fail("unexpected data after the JSON value");
        }
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw ParseError(what, m_pos); }

    void skipWs() {
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++m_pos;
            } else {
                break;
            }
        }
    }

    bool consume(std::string_view word) {
        if (m_s.substr(m_pos, word.size()) == word) {
            m_pos += word.size();
            return true;
        }
        return false;
    }

    Value parseValue(size_t depth) {
        if (depth > m_opt.maxDepth) {
            fail("JSON nested too deeply");
        }
        if (m_pos >= m_s.size()) {
            fail("unexpected end of JSON");
        }
        const char c = m_s[m_pos];
        switch (c) {
        case '{':
            return parseObject(depth);
        case '[':
            return parseArray(depth);
        case '"':
            return Value::makeString(parseString());
        case 't':
            if (consume("true")) {
                return Value::makeBool(true);
            }
            break;
        case 'f':
            if (consume("false")) {
                return Value::makeBool(false);
            }
            break;
        case 'n':
            if (consume("null")) {
                return Value();
            }
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                return parseNumber();
            }
        }
        fail("invalid JSON value");
    }

    Value parseObject(size_t depth) {
        ++m_pos; // '{'
        Value::Object members;
        // Keys seen so far: a hash set keeps the duplicate check linear overall (a safetensors
        // header is untrusted input and may hold hundreds of thousands of keys).
        std::unordered_set<std::string> keys;
        skipWs();
        if (m_pos < m_s.size() && m_s[m_pos] == '}') {
            ++m_pos;
            return Value::makeObject(std::move(members));
        }
        while (true) {
            skipWs();
            if (m_pos >= m_s.size() || m_s[m_pos] != '"') {
                fail("expected a string key");
            }
            const size_t keyPos = m_pos;
            std::string key = parseString();
            if (!keys.insert(key).second) {
                m_pos = keyPos;
                fail("duplicate key \"" + key + "\"");
            }
            skipWs();
            if (m_pos >= m_s.size() || m_s[m_pos] != ':') {
                fail("expected ':' after a key");
            }
            ++m_pos;
            skipWs();
            Value v = parseValue(depth + 1);
            members.emplace_back(std::move(key), std::move(v));
            skipWs();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == '}') {
                ++m_pos;
                return Value::makeObject(std::move(members));
            }
            fail("expected ',' or '}' in an object");
        }
    }

    Value parseArray(size_t depth) {
        ++m_pos; // '['
        Value::Array items;
        skipWs();
        if (m_pos < m_s.size() && m_s[m_pos] == ']') {
            ++m_pos;
            return Value::makeArray(std::move(items));
        }
        while (true) {
            skipWs();
            items.push_back(parseValue(depth + 1));
            skipWs();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == ']') {
                ++m_pos;
                return Value::makeArray(std::move(items));
            }
            fail("expected ',' or ']' in an array");
        }
    }

    uint32_t parseHex4() {
        if (m_pos + 4 > m_s.size()) {
            fail("truncated \\u escape");
        }
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_s[m_pos++];
            v <<= 4;
            if (c >= '0' && c <= '9') {
                v |= static_cast<uint32_t>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                v |= static_cast<uint32_t>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                v |= static_cast<uint32_t>(c - 'A' + 10);
            } else {
                --m_pos;
                fail("invalid hex digit in \\u escape");
            }
        }
        return v;
    }

    std::string parseString() {
        ++m_pos; // opening quote
        std::string out;
        while (true) {
            if (m_pos >= m_s.size()) {
                fail("unterminated string");
            }
            const auto c = static_cast<unsigned char>(m_s[m_pos]);
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c < 0x20) {
                fail("control character in string");
            }
            if (c == '\\') {
                ++m_pos;
                if (m_pos >= m_s.size()) {
                    fail("unterminated escape");
                }
                const char e = m_s[m_pos++];
                switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    uint32_t cp = parseHex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!consume("\\u")) {
                            fail("unpaired high surrogate");
                        }
                        const uint32_t lo = parseHex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) {
                            fail("invalid low surrogate");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("unpaired low surrogate");
                    }
                    appendUtf8(out, cp);
                    break;
                }
                default:
                    --m_pos;
                    fail("invalid escape");
                }
                continue;
            }
            const size_t len = utf8SequenceLength(
                reinterpret_cast<const unsigned char*>(m_s.data()) + m_pos, m_s.size() - m_pos);
            if (len == 0) {
                fail("invalid UTF-8 in string");
            }
            out.append(m_s.data() + m_pos, len);
            m_pos += len;
        }
    }

    Value parseNumber() {
        const size_t start = m_pos;
        bool integral = true;
        if (m_s[m_pos] == '-') {
            ++m_pos;
        }
        auto digits = [&] {
            const size_t d0 = m_pos;
            while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9') {
                ++m_pos;
            }
            return m_pos - d0;
        };
        if (m_pos < m_s.size() && m_s[m_pos] == '0') {
            ++m_pos;
        } else if (digits() == 0) {
            fail("invalid number");
        }
        if (m_pos < m_s.size() && m_s[m_pos] == '.') {
            integral = false;
            ++m_pos;
            if (digits() == 0) {
                fail("invalid number: digits expected after '.'");
            }
        }
        if (m_pos < m_s.size() && (m_s[m_pos] == 'e' || m_s[m_pos] == 'E')) {
            integral = false;
            ++m_pos;
            if (m_pos < m_s.size() && (m_s[m_pos] == '+' || m_s[m_pos] == '-')) {
                ++m_pos;
            }
            if (digits() == 0) {
                fail("invalid number: digits expected in exponent");
            }
        }
        const std::string text(m_s.substr(start, m_pos - start));
        const double d = std::strtod(text.c_str(), nullptr);
        int64_t i = 0;
        if (integral) {
            errno = 0;
            const long long ll = std::strtoll(text.c_str(), nullptr, 10);
            if (errno == ERANGE) {
                integral = false; // too large for int64: keep the double only
            } else {
                i = ll;
            }
        }
        return Value::makeNumber(d, integral, i);
    }

    std::string_view m_s;
    ParseOptions m_opt;
    size_t m_pos = 0;
};

const char* typeName(Value::Type t) {
    switch (t) {
    case Value::Type::Null:
        return "null";
    case Value::Type::Bool:
        return "a boolean";
    case Value::Type::Number:
        return "a number";
    case Value::Type::String:
        return "a string";
    case Value::Type::Array:
        return "an array";
    case Value::Type::Object:
        return "an object";
    }
    return "?";
}

[[noreturn]] void wrongType(const std::string& what, const char* expected, Value::Type got) {
    throw std::runtime_error(what + " must be " + expected + ", not " + typeName(got));
}

} // namespace

Value Value::makeBool(bool b) {
    Value v;
    v.m_type = Type::Bool;
    v.m_bool = b;
    return v;
}

Value Value::makeNumber(double d, bool integral, int64_t i) {
    Value v;
    v.m_type = Type::Number;
    v.m_number = d;
    v.m_integral = integral;
    v.m_int = i;
    return v;
}

Value Value::makeString(std::string s) {
    Value v;
    v.m_type = Type::String;
    v.m_string = std::make_shared<const std::string>(std::move(s));
    return v;
}

Value Value::makeArray(Array a) {
    Value v;
    v.m_type = Type::Array;
    v.m_array = std::make_shared<const Array>(std::move(a));
    return v;
}

Value Value::makeObject(Object o) {
    Value v;
    v.m_type = Type::Object;
    v.m_object = std::make_shared<const Object>(std::move(o));
    return v;
}

bool Value::asBool(const std::string& what) const {
    if (m_type != Type::Bool) {
        wrongType(what, "a boolean", m_type);
    }
    return m_bool;
}

double Value::asDouble(const std::string& what) const {
    if (m_type != Type::Number) {
        wrongType(what, "a number", m_type);
    }
    return m_number;
}

int64_t Value::asInt(const std::string& what) const {
    if (m_type != Type::Number) {
        wrongType(what, "an integer", m_type);
    }
    if (!m_integral) {
        if (std::floor(m_number) == m_number && std::fabs(m_number) < 9.0e15) {
            return static_cast<int64_t>(m_number); // e.g. 3.0 or 1e3
        }
        throw std::runtime_error(what + " must be an integer");
    }
    return m_int;
}

const std::string& Value::asString(const std::string& what) const {
    if (m_type != Type::String) {
        wrongType(what, "a string", m_type);
    }
    return *m_string;
}

const Value::Array& Value::asArray(const std::string& what) const {
    if (m_type != Type::Array) {
        wrongType(what, "an array", m_type);
    }
    return *m_array;
}

const Value::Object& Value::asObject(const std::string& what) const {
    if (m_type != Type::Object) {
        wrongType(what, "an object", m_type);
    }
    return *m_object;
}

const Value* Value::find(std::string_view key) const {
    if (m_type != Type::Object) {
        return nullptr;
    }
    for (const auto& [k, v] : *m_object) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

const Value& Value::at(std::string_view key) const {
    if (const Value* v = find(key)) {
        return *v;
    }
    throw std::runtime_error("missing key \"" + std::string(key) + "\"");
}

size_t Value::size() const {
    if (m_type == Type::Array) {
        return m_array->size();
    }
    if (m_type == Type::Object) {
        return m_object->size();
    }
    return 0;
}

Value parse(std::string_view text, const ParseOptions& options) {
    return Parser(text, options).parseDocument();
}

bool isValidUtf8(std::string_view bytes, size_t* errorOffset) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t i = 0;
    while (i < bytes.size()) {
        const size_t len = utf8SequenceLength(p + i, bytes.size() - i);
        if (len == 0) {
            if (errorOffset != nullptr) {
                *errorOffset = i;
            }
            return false;
        }
        i += len;
    }
    return true;
}

} // namespace sfs::inference::json
