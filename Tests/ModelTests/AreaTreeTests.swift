import Testing
@testable import IOMMUFD

/// The B+-tree behind the io_pagetable, against a plain sorted array.
@Suite("AreaTree")
struct AreaTreeTests {
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    /// The reference: the first area intersecting [first, last].
    func reference(_ areas: [AreaRecord], _ first: UInt64, _ last: UInt64) -> AreaRecord? {
        areas.first { $0.last >= first && $0.start <= last }
    }

    @Test(arguments: [UInt64(1), 7, 42]) func randomOperationsMatchASortedArray(seed: UInt64) {
        var rng = RNG(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        let tree = AreaTree()
        var ref: [AreaRecord] = []
        let slots: UInt64 = 5000
        for step in 0..<20_000 {
            let slot = rng.next() % slots
            let start = slot * 0x10000 + (rng.next() % 4) * 0x1000
            let length = (rng.next() % 8 + 1) * 0x1000
            let last = start + length - 1
            let op = rng.next() % 10
            if op < 5 {
                if reference(ref, start, last) == nil {
                    let r = AreaRecord(start: start, last: last, addr: rng.next(), meta: UInt64(step))
                    tree.insert(r)
                    let at = ref.firstIndex { $0.start > start } ?? ref.count
                    ref.insert(r, at: at)
                }
            } else if op < 9 {
                if let hit = reference(ref, start, start + 0x20000) {
                    #expect(tree.remove(start: hit.start) == hit)
                    ref.removeAll { $0.start == hit.start }
                } else {
                    #expect(tree.remove(start: start) == nil)
                }
            } else {
                #expect(tree.firstIntersecting(start, last + 0x30000) == reference(ref, start, last + 0x30000))
                #expect(tree.next(after: start) == ref.first { $0.start > start })
            }
            #expect(tree.count == ref.count)
            if step % 5000 == 0 { #expect(tree.all == ref) }
        }
        #expect(tree.all == ref)
        var seen: [AreaRecord] = []
        tree.forEach(intersecting: 0x10000 * 100, 0x10000 * 200) { seen.append($0); return true }
        #expect(seen == ref.filter { $0.last >= 0x10000 * 100 && $0.start <= 0x10000 * 200 })
        // Drain it completely
        for r in ref { #expect(tree.remove(start: r.start) == r) }
        #expect(tree.isEmpty && tree.first == nil)
    }

    @Test func appendsPackDenselyAndDeletesMerge() {
        let tree = AreaTree()
        let n = 200_000
        for i in 0..<n {
            let s = UInt64(i) * 0x2000
            tree.insert(AreaRecord(start: s, last: s + 0xfff, addr: 0, meta: 0))
        }
        #expect(tree.count == n)
        // Sequential inserts fill leaves: about 32 bytes per entry plus arena slack
        #expect(tree.bytesAllocated / n < 80)
        // Remove 3 of every 4: merges keep memory per live entry bounded
        for i in 0..<n where i % 4 != 0 {
            tree.remove(start: UInt64(i) * 0x2000)
        }
        #expect(tree.count == n / 4)
        #expect(tree.firstIntersecting(0x2000, 0x8000)?.start == 0x8000)
        #expect(tree.firstIntersecting(0x2000, 0x7fff) == nil)
        #expect(tree.firstIntersecting(0, 0)?.start == 0)
        #expect(tree.firstIntersecting(0x1000, 0x1fff) == nil)
    }
}
