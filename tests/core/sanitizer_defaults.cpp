// Sanitizer settings of the core test program, compiled only in sanitized builds (the fuzz
// preset; see tests/core/CMakeLists.txt): leaks inside system libraries that our code cannot
// free are suppressed by the library function that owns the allocation. Only full unwinding
// reaches those frames through libraries built without frame pointers, so it is on for this
// program alone (the torch-heavy ones stay fast).

extern "C" {

const char* __asan_default_options();
const char* __lsan_default_suppressions();

const char* __asan_default_options() {
    return "fast_unwind_on_malloc=0";
}

const char* __lsan_default_suppressions() {
    // OpenImageIO 2.4's PNG reader formats its error message, then libpng longjmps out of the
    // read callback past the std::string's destructor (the truncated-PNG tests).
    // libx265 keeps a small allocation per encoder open that x265_cleanup would release;
    // FFmpeg's wrapper never calls it.
    return "leak:OpenImageIO_v2_4::PNGInput::PngReadCallback\n"
           "leak:x265::x265_malloc\n";
}

} // extern "C"
