extension Array {
    /// `withUnsafeMutableBytes` for a body that throws `IOMMUFDError` (the standard library's
    /// version rethrows untyped).
    @inline(__always)
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(IOMMUFDError) -> R) throws(IOMMUFDError) -> R {
        let result: Result<R, IOMMUFDError> = withUnsafeMutableBytes { raw in
            do throws(IOMMUFDError) {
                return .success(try body(raw))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `withUnsafeBytes` for a body that throws `IOMMUFDError`.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(IOMMUFDError) -> R) throws(IOMMUFDError) -> R {
        let result: Result<R, IOMMUFDError> = withUnsafeBytes { raw in
            do throws(IOMMUFDError) {
                return .success(try body(raw))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
