#if FUZZING
import Foundation

// The fuzzing build (tools/fuzz.sh, `-DFUZZING`). SwiftPM links every executable target with
// `--defsym main=<module>_main` and compiles its `@main` under that name, so libFuzzer's own `main`
// cannot be used; instead this entry point hands control to libFuzzer's driver, which is exactly
// what libFuzzer's `main` does (compiler-rt FuzzerMain.cpp).

/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size))`
/// from compiler-rt's FuzzerDriver.cpp, linked in by `-sanitize=fuzzer`. Declared by symbol name
/// because this target imports no C module; pointer and integer arguments pass the same way in the
/// Swift and C calling conventions.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@main
struct FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        // A closure literal, not `fuzz` itself: converting the @_cdecl function to a C pointer here
        // would emit a second definition of LLVMFuzzerTestOneInput in this file.
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}
#endif
