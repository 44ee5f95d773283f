// Two helpers for building the C argument structs of CIOMMUFD in Swift.

/// A value of `T` with every byte zero, padding and union bytes included (C's `= {}`).
///
/// The kernel rejects non-zero reserved fields and unknown trailing bytes, so argument structs
/// start from all-zero bytes rather than from field-wise initialisers. `T` must be a trivial type
/// (an imported C struct); not every one is `BitwiseCopyable` to Swift (structs holding anonymous
/// structs inside a union are not), so this is checked at run time.
@inlinable
public func zeroed<T>() -> T {
    precondition(_isPOD(T.self), "zeroed() needs a trivial type, not \(T.self)")
    return withUnsafeTemporaryAllocation(byteCount: MemoryLayout<T>.size,
                                         alignment: MemoryLayout<T>.alignment) { buffer in
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        return buffer.baseAddress!.load(as: T.self)
    }
}

/// `MemoryLayout<T>.size` as the `UInt32` that goes in a struct's `size` or `argsz` field.
@inlinable
public func sized<T>(_: T.Type) -> UInt32 {
    UInt32(MemoryLayout<T>.size)
}
