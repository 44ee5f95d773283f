/// Sentences on what an errno most likely means for a given call, from the kernel's rules.
enum ErrorHints {
    static func hint(operation: String, errno: Errno) -> String {
        ""
    }
}
