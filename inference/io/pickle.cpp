#include "io/pickle.h"

#include "io/json.h"
#include "io/safetensors.h"

#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace sfs::inference::io::pickle {

namespace {

// Bounds that keep hostile input from exhausting memory; real state dicts are far below them.
constexpr size_t kMaxNodes = size_t{1} << 24;
constexpr size_t kMaxStack = size_t{1} << 20;

struct StorageType {
    const char* name;
    DType dtype;
};
constexpr StorageType kStorageTypes[] = {
    {"FloatStorage", DType::F32},
    {"DoubleStorage", DType::F64},
    {"HalfStorage", DType::F16},
    {"BFloat16Storage", DType::BF16},
    {"LongStorage", DType::I64},
    {"IntStorage", DType::I32},
    {"ShortStorage", DType::I16},
    {"CharStorage", DType::I8},
    {"ByteStorage", DType::U8},
    {"BoolStorage", DType::BOOL},
    {"Float8_e4m3fnStorage", DType::F8_E4M3},
    {"Float8_e5m2Storage", DType::F8_E5M2},
};

// The callables and classes a state dict may name. Everything else is refused.
constexpr const char* kAllowedGlobals[] = {
    "collections.OrderedDict",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._tensor._rebuild_from_type_v2",
    "torch.Tensor",
    "torch.nn.parameter.Parameter",
    "_codecs.encode",
};

class Machine {
public:
    Machine(const uint8_t* data, size_t size, const std::string& path, const std::string& what)
        : m_data(data), m_size(size), m_path(path), m_what(what) {}

    Document run() {
        while (true) {
            m_opStart = m_pos;
            const uint8_t op = byte();
            if (op == '.') { // STOP
                if (m_stack.size() != 1 || !m_marks.empty()) {
                    fail("ends with " + std::to_string(m_stack.size()) +
                         " values on the stack instead of one");
                }
                m_doc.root = m_stack.back();
                return std::move(m_doc);
            }
            step(op);
        }
    }

private:
    // --- input -----------------------------------------------------------------------------
    [[noreturn]] void fail(const std::string& problem) const {
        throw WeightsError(m_path, "",
                           m_what + " byte " + std::to_string(m_opStart) + ": " + problem);
    }
    const uint8_t* take(size_t n) {
        if (n > m_size - m_pos) {
            fail("ends in the middle of an instruction (truncated?)");
        }
        const uint8_t* p = m_data + m_pos;
        m_pos += n;
        return p;
    }
    uint8_t byte() { return *take(1); }
    uint64_t le(size_t n) {
        const uint8_t* p = take(n);
        uint64_t v = 0;
        for (size_t i = n; i > 0; --i) {
            v = (v << 8) | p[i - 1];
        }
        return v;
    }
    std::string line() {
        const size_t start = m_pos;
        while (m_pos < m_size && m_data[m_pos] != '\n') {
            ++m_pos;
        }
        if (m_pos == m_size) {
            fail("ends in the middle of a text argument (truncated?)");
        }
        std::string s(reinterpret_cast<const char*>(m_data + start), m_pos - start);
        ++m_pos;
        return s;
    }
    std::string bytes(uint64_t n) {
        if (n > m_size - m_pos) {
            fail("a string of " + std::to_string(n) + " bytes runs past the end (truncated?)");
        }
        return std::string(reinterpret_cast<const char*>(take(static_cast<size_t>(n))),
                           static_cast<size_t>(n));
    }

    // --- values ----------------------------------------------------------------------------
    uint32_t add(Node n) {
        if (m_doc.nodes.size() >= kMaxNodes) {
            fail("too many values for a weights file");
        }
        m_doc.nodes.push_back(std::move(n));
        return static_cast<uint32_t>(m_doc.nodes.size() - 1);
    }
    uint32_t make(Kind k) {
        Node n;
        n.kind = k;
        return add(std::move(n));
    }
    uint32_t makeInt(int64_t v, Kind k = Kind::Int) {
        Node n;
        n.kind = k;
        n.integer = v;
        return add(std::move(n));
    }
    uint32_t makeText(Kind k, std::string s) {
        if (k == Kind::String && !json::isValidUtf8(s)) {
            fail("a string is not valid UTF-8");
        }
        Node n;
        n.kind = k;
        n.text = std::move(s);
        return add(std::move(n));
    }
    Node& node(uint32_t id) { return m_doc.nodes[id]; }

    void push(uint32_t id) {
        if (m_stack.size() >= kMaxStack) {
            fail("stack too deep");
        }
        m_stack.push_back(id);
    }
    uint32_t pop() {
        if (m_stack.empty() || (!m_marks.empty() && m_marks.back() == m_stack.size())) {
            fail("pops from an empty stack");
        }
        const uint32_t v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    uint32_t top() {
        if (m_stack.empty() || (!m_marks.empty() && m_marks.back() == m_stack.size())) {
            fail("reads from an empty stack");
        }
        return m_stack.back();
    }
    std::vector<uint32_t> popToMark() {
        if (m_marks.empty()) {
            fail("no mark on the stack");
        }
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<uint32_t> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark),
                                    m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    uint32_t tuple(std::vector<uint32_t> items) {
        Node n;
        n.kind = Kind::Tuple;
        n.items = std::move(items);
        return add(std::move(n));
    }
    void memoPut(uint64_t index) { m_memo[index] = top(); }
    void memoGet(uint64_t index) {
        auto it = m_memo.find(index);
        if (it == m_memo.end()) {
            fail("refers to memo entry " + std::to_string(index) + ", which was never stored");
        }
        push(it->second);
    }
    void addToDict(uint32_t dict, const std::vector<uint32_t>& pairs) {
        if (node(dict).kind != Kind::Dict) {
            fail("sets items on something that is not a dict");
        }
        if (pairs.size() % 2 != 0) {
            fail("sets an odd number of dict items");
        }
        for (const uint32_t id : pairs) {
            node(dict).items.push_back(id);
        }
    }
    void addToList(uint32_t list, const std::vector<uint32_t>& items) {
        if (node(list).kind != Kind::List) {
            fail("appends to something that is not a list");
        }
        for (const uint32_t id : items) {
            node(list).items.push_back(id);
        }
    }
    uint32_t makeInteger(const uint8_t* p, size_t n) {
        // Little-endian two's complement (LONG1 / LONG4).
        if (n == 0) {
            return makeInt(0);
        }
        if (n > 8) {
            // Fits in 64 bits only if the extra bytes are pure sign extension.
            const uint8_t fill = (p[n - 1] & 0x80) != 0 ? 0xFF : 0x00;
            bool fits = (p[7] & 0x80) == (fill & 0x80);
            for (size_t i = 8; i < n && fits; ++i) {
                fits = p[i] == fill;
            }
            if (!fits) {
                return makeInt(0, Kind::BigInt);
            }
            n = 8;
        }
        uint64_t v = 0;
        for (size_t i = n; i > 0; --i) {
            v = (v << 8) | p[i - 1];
        }
        if (n < 8 && (p[n - 1] & 0x80) != 0) {
            v |= ~uint64_t{0} << (8 * n);
        }
        return makeInt(static_cast<int64_t>(v));
    }

    // --- globals and calls -----------------------------------------------------------------
    uint32_t global(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        if (module == "torch" && name.size() > 7 &&
            name.compare(name.size() - 7, 7, "Storage") == 0) {
            for (const StorageType& s : kStorageTypes) {
                if (name == s.name) {
                    Node n;
                    n.kind = Kind::Global;
                    n.text = full;
                    n.dtype = s.dtype;
                    n.integer = 1; // marks a storage type
                    return add(std::move(n));
                }
            }
            fail("tensor storage type '" + full +
                 "' is not supported (only real and integer tensors are read)");
        }
        for (const char* allowed : kAllowedGlobals) {
            if (full == allowed) {
                return makeText(Kind::Global, full);
            }
        }
        fail("refers to '" + full +
             "', which a weights file never needs; refusing to load it (only tensors, dicts, "
             "lists, numbers and strings are read, and nothing is executed)");
    }

    const Node& arg(const std::vector<uint32_t>& args, size_t i, Kind kind, const char* what) {
        if (i >= args.size() || m_doc.nodes[args[i]].kind != kind) {
            fail(std::string("bad argument ") + std::to_string(i) + " (" + what + ")");
        }
        return m_doc.nodes[args[i]];
    }
    std::vector<int64_t> intTuple(const Node& n, const char* what) {
        if (n.kind != Kind::Tuple && n.kind != Kind::List) {
            fail(std::string(what) + " is not a tuple");
        }
        std::vector<int64_t> out;
        for (const uint32_t id : n.items) {
            if (m_doc.nodes[id].kind != Kind::Int) {
                fail(std::string(what) + " holds a non-integer");
            }
            out.push_back(m_doc.nodes[id].integer);
        }
        return out;
    }

    uint32_t rebuildTensor(const std::vector<uint32_t>& args) {
        if (args.size() < 6 || args.size() > 7) {
            fail("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + std::to_string(args.size()));
        }
        const Node& storage = arg(args, 0, Kind::Storage, "storage");
        Node t;
        t.kind = Kind::Tensor;
        t.dtype = storage.dtype;
        t.items = {args[0]};
        t.offset = arg(args, 1, Kind::Int, "storage offset").integer;
        t.shape = intTuple(m_doc.nodes[args[2]], "size");
        t.strides = intTuple(m_doc.nodes[args[3]], "stride");
        arg(args, 4, Kind::Bool, "requires_grad");
        return add(std::move(t));
    }

    uint32_t call(const std::string& fn, const std::vector<uint32_t>& args) {
        if (fn == "collections.OrderedDict") {
            if (!args.empty()) {
                fail("OrderedDict built from arguments is not supported");
            }
            return make(Kind::Dict);
        }
        if (fn == "torch._utils._rebuild_tensor_v2") {
            return rebuildTensor(args);
        }
        if (fn == "torch._utils._rebuild_parameter" ||
            fn == "torch._utils._rebuild_parameter_with_state") {
            arg(args, 0, Kind::Tensor, "data");
            return args[0];
        }
        if (fn == "torch._tensor._rebuild_from_type_v2") {
            // (func, new_type, args, state): a tensor subclass; we keep the plain tensor.
            const Node& func = arg(args, 0, Kind::Global, "func");
            if (func.text != "torch._utils._rebuild_tensor_v2" &&
                func.text != "torch._utils._rebuild_parameter" &&
                func.text != "torch._utils._rebuild_parameter_with_state") {
                fail("_rebuild_from_type_v2 of '" + func.text + "' is not supported");
            }
            const Node& type = arg(args, 1, Kind::Global, "new_type");
            if (type.text != "torch.Tensor" && type.text != "torch.nn.parameter.Parameter") {
                fail("tensor subclass '" + type.text + "' is not supported");
            }
            return call(func.text, arg(args, 2, Kind::Tuple, "args").items);
        }
        if (fn == "_codecs.encode") {
            // How protocol 2 spells bytes: encode(text, "latin1").
            const Node& text = arg(args, 0, Kind::String, "text");
            std::string out;
            size_t i = 0;
            while (i < text.text.size()) {
                const auto c = static_cast<uint8_t>(text.text[i]);
                if (c < 0x80) {
                    out += static_cast<char>(c);
                    i += 1;
                } else if ((c & 0xE0) == 0xC0 && i + 1 < text.text.size()) {
                    const unsigned cp = ((c & 0x1Fu) << 6) | (text.text[i + 1] & 0x3Fu);
                    if (cp > 0xFF) {
                        fail("_codecs.encode of a non-latin1 string");
                    }
                    out += static_cast<char>(cp);
                    i += 2;
                } else {
                    fail("_codecs.encode of a non-latin1 string");
                }
            }
            return makeText(Kind::Bytes, out);
        }
        fail("cannot call '" + fn + "'");
    }

    // --- the instructions ------------------------------------------------------------------
    void step(uint8_t op) {
        switch (op) {
        case 0x80: { // PROTO
            const uint8_t v = byte();
            if (v > 5) {
                fail("pickle protocol " + std::to_string(v) + " is newer than supported (5)");
            }
            break;
        }
        case 0x95: // FRAME (protocol 4): a length hint only
            le(8);
            break;
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case '0': // POP
            if (!m_marks.empty() && m_marks.back() == m_stack.size()) {
                m_marks.pop_back();
            } else {
                pop();
            }
            break;
        case '1': // POP_MARK
            popToMark();
            break;
        case '2': // DUP
            push(top());
            break;
        case 'N':
            push(make(Kind::None));
            break;
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
            push(makeInt(op == 0x88 ? 1 : 0, Kind::Bool));
            break;
        case 'J': // BININT
            push(makeInt(static_cast<int32_t>(static_cast<uint32_t>(le(4)))));
            break;
        case 'K': // BININT1
            push(makeInt(static_cast<int64_t>(le(1))));
            break;
        case 'M': // BININT2
            push(makeInt(static_cast<int64_t>(le(2))));
            break;
        case 0x8a: { // LONG1
            const size_t n = byte();
            push(makeInteger(take(n), n));
            break;
        }
        case 0x8b: { // LONG4
            const uint64_t n = le(4);
            if (n > m_size - m_pos) {
                fail("an integer runs past the end (truncated?)");
            }
            push(makeInteger(take(static_cast<size_t>(n)), static_cast<size_t>(n)));
            break;
        }
        case 'G': { // BINFLOAT, big-endian
            const uint8_t* p = take(8);
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) {
                bits = (bits << 8) | p[i];
            }
            double d = 0;
            std::memcpy(&d, &bits, sizeof d);
            Node n;
            n.kind = Kind::Float;
            n.real = d;
            push(add(std::move(n)));
            break;
        }
        case 'X': // BINUNICODE
            push(makeText(Kind::String, bytes(le(4))));
            break;
        case 0x8c: // SHORT_BINUNICODE
            push(makeText(Kind::String, bytes(byte())));
            break;
        case 0x8d: // BINUNICODE8
            push(makeText(Kind::String, bytes(le(8))));
            break;
        case 'T': // BINSTRING (Python 2 str)
            push(makeText(Kind::Bytes, bytes(le(4))));
            break;
        case 'U': // SHORT_BINSTRING
            push(makeText(Kind::Bytes, bytes(byte())));
            break;
        case 'B': // BINBYTES
            push(makeText(Kind::Bytes, bytes(le(4))));
            break;
        case 'C': // SHORT_BINBYTES
            push(makeText(Kind::Bytes, bytes(byte())));
            break;
        case 0x8e: // BINBYTES8
            push(makeText(Kind::Bytes, bytes(le(8))));
            break;
        case '}': // EMPTY_DICT
            push(make(Kind::Dict));
            break;
        case ']': // EMPTY_LIST
            push(make(Kind::List));
            break;
        case ')': // EMPTY_TUPLE
            push(tuple({}));
            break;
        case 'd': { // DICT
            const uint32_t d = make(Kind::Dict);
            addToDict(d, popToMark());
            push(d);
            break;
        }
        case 'l': { // LIST
            const uint32_t l = make(Kind::List);
            addToList(l, popToMark());
            push(l);
            break;
        }
        case 't': // TUPLE
            push(tuple(popToMark()));
            break;
        case 0x85:   // TUPLE1
        case 0x86:   // TUPLE2
        case 0x87: { // TUPLE3
            std::vector<uint32_t> items(static_cast<size_t>(op - 0x84));
            for (size_t i = items.size(); i > 0; --i) {
                items[i - 1] = pop();
            }
            push(tuple(std::move(items)));
            break;
        }
        case 's': { // SETITEM
            const uint32_t value = pop();
            const uint32_t key = pop();
            addToDict(top(), {key, value});
            break;
        }
        case 'u': { // SETITEMS
            const std::vector<uint32_t> pairs = popToMark();
            addToDict(top(), pairs);
            break;
        }
        case 'a': { // APPEND
            const uint32_t value = pop();
            addToList(top(), {value});
            break;
        }
        case 'e': { // APPENDS
            const std::vector<uint32_t> items = popToMark();
            addToList(top(), items);
            break;
        }
        case 'q': // BINPUT
            memoPut(le(1));
            break;
        case 'r': // LONG_BINPUT
            memoPut(le(4));
            break;
        case 0x94: // MEMOIZE
            memoPut(m_memo.size());
            break;
        case 'h': // BINGET
            memoGet(le(1));
            break;
        case 'j': // LONG_BINGET
            memoGet(le(4));
            break;
        case 'c': { // GLOBAL "module\nname\n"
            const std::string module = line();
            const std::string name = line();
            push(global(module, name));
            break;
        }
        case 0x93: { // STACK_GLOBAL
            const uint32_t name = pop();
            const uint32_t module = pop();
            if (node(name).kind != Kind::String || node(module).kind != Kind::String) {
                fail("STACK_GLOBAL needs two strings");
            }
            push(global(node(module).text, node(name).text));
            break;
        }
        case 'R': { // REDUCE
            const uint32_t args = pop();
            const uint32_t fn = pop();
            if (node(fn).kind != Kind::Global || node(fn).integer != 0) {
                fail("calls something that is not an allowed function");
            }
            if (node(args).kind != Kind::Tuple) {
                fail("call arguments are not a tuple");
            }
            const std::vector<uint32_t> argv = node(args).items;
            push(call(node(fn).text, argv));
            break;
        }
        case 0x81: { // NEWOBJ cls.__new__(cls, *args)
            const uint32_t args = pop();
            const uint32_t cls = pop();
            if (node(cls).kind != Kind::Global || node(cls).text != "collections.OrderedDict" ||
                node(args).kind != Kind::Tuple || !node(args).items.empty()) {
                fail("creates an object other than an OrderedDict");
            }
            push(make(Kind::Dict));
            break;
        }
        case 'b': { // BUILD: state dicts carry `_metadata` on their OrderedDict; ignored
            pop();
            if (node(top()).kind != Kind::Dict) {
                fail("sets the state of an object other than an OrderedDict");
            }
            break;
        }
        case 'Q': { // BINPERSID: ('storage', type, key, location, numel)
            const uint32_t pid = pop();
            const Node& t = node(pid);
            if (t.kind != Kind::Tuple || t.items.size() != 5 ||
                node(t.items[0]).kind != Kind::String || node(t.items[0]).text != "storage") {
                fail("persistent id is not a torch storage reference");
            }
            const Node& type = node(t.items[1]);
            if (type.kind != Kind::Global || type.integer != 1) {
                fail("storage reference without a storage type");
            }
            const Node& key = node(t.items[2]);
            const Node& location = node(t.items[3]);
            const Node& numel = node(t.items[4]);
            if (key.kind != Kind::String || location.kind != Kind::String ||
                numel.kind != Kind::Int || numel.integer < 0) {
                fail("malformed storage reference");
            }
            Node s;
            s.kind = Kind::Storage;
            s.dtype = type.dtype;
            s.text = key.text;
            s.location = location.text;
            s.integer = numel.integer;
            push(add(std::move(s)));
            break;
        }
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            fail(std::string("pickle instruction ") + hex +
                 " is not used by state dicts and is not supported");
        }
        }
    }

    const uint8_t* m_data;
    size_t m_size;
    const std::string& m_path;
    const std::string& m_what;
    size_t m_pos = 0;
    size_t m_opStart = 0;
    Document m_doc;
    std::vector<uint32_t> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, uint32_t> m_memo;
};

} // namespace

Document unpickle(const uint8_t* data, size_t size, const std::string& path,
                  const std::string& what) {
    return Machine(data, size, path, what).run();
}

} // namespace sfs::inference::io::pickle
