import ArgumentParser
import IOMMUFD

/// `iommufd-harness replay FILE`: re-issues a recorded trace and reports every call whose answer
/// differs (errno, result, output fields, output buffers).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a trace recorded with `run --trace FILE` and report every divergence.",
        discussion: """
        Record on one backend and replay on another to compare them call by call: a trace taken \
        on the kernel (or its selftest mock) and replayed on the model measures the model's \
        fidelity; replayed on the same kernel it checks that the kernel answers deterministically.
        File descriptors and user pointers are translated; device regions (mmap, pread, pwrite) \
        are not replayed.

        Exit status: 0 no divergence, 1 divergences, 2 unreadable trace or unusable backend.

        On the model, choose the hardware the trace was taken on (--profile, --vtd-cap/--vtd-ecap, \
        --smmuv3-idr, --amd-efr) and name the trace's device (--device) so that its cdev exists.

        Examples:
          iommufd-harness run --backend kernel --trace kernel.jsonl
          iommufd-harness replay kernel.jsonl --backend model
          iommufd-harness replay vtd.jsonl --backend model --profile qemu-vtd --device /dev/vfio/devices/vfio0
        """
    )

    @Argument(help: "A trace file written by `run --trace`.")
    var file: String

    @OptionGroup var target: TargetOptions

    @Option(help: "Show at most this many divergences.")
    var limit: Int = 50

    func run() throws {
        guard let bytes = FileSystem.read(file, limit: 1 << 30) else { throw environmentError("cannot read \(file)") }
        var records: [TraceRecord] = []
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            do {
                records.append(try TraceRecord(json: try JSONValue.parse(String(line))))
            } catch {
                throw environmentError("\(file):\(number + 1): \(error)")
            }
        }
        let resolved = try target.resolve()
        defer { target.finish(resolved.target) }
        let differences = Replayer(backend: resolved.target.backend).replay(records)
        emit("replayed \(records.count) calls from \(file) on \(resolved.target.name): \(differences.count) divergences")
        for difference in differences.prefix(limit) { emit("  \(difference)") }
        if differences.count > limit { emit("  … \(differences.count - limit) more") }
        if !differences.isEmpty { throw ExitCode(1) }
    }
}
