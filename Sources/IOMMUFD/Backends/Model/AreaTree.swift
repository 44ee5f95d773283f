#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One mapped IOVA area of an io_pagetable, as the model stores it: `[start, last]` maps the
/// pages that begin at `addr` (a user VA, or a byte offset into a file), and `meta` packs the
/// protection, the source kind and a reference to the source (see `AreaMeta`).
///
/// The kernel keeps `struct iopt_area` in an interval tree (`area_itree`); areas never overlap,
/// so an ordered map keyed by `start` answers the same queries.
struct AreaRecord: Equatable, Sendable {
    var start: UInt64
    var last: UInt64
    var addr: UInt64
    var meta: UInt64

    var length: UInt64 { last &- start &+ 1 }
}

/// The value part of a leaf entry (the key, `start`, is stored apart for a dense binary search).
struct AreaValue {
    var last: UInt64
    var addr: UInt64
    var meta: UInt64
}

/// A B+-tree of non-overlapping IOVA areas, keyed by their first IOVA.
///
/// Written for the model's hot path (map/unmap at 1e6 live areas): nodes live in flat arenas
/// indexed by `Int32` (no per-node objects, no reference counting while descending). A leaf is
/// one 64-byte-aligned block: a header (count, next, prev) that shares its first cache line with
/// the first keys, then 32 keys, then 32 values of 24 bytes; an inner node is a count, 64 keys
/// and 64 child indexes. Leaves are linked for in-order walks. Insert and remove are O(log n);
/// a node that falls under a quarter full is merged with a sibling when the pair fits in one,
/// which keeps the fill at or above about half. Appends at the right edge split unevenly (the
/// left node stays full), so IOVAs mapped in increasing order pack densely. Not thread-safe: the
/// model holds its lock around every use.
struct AreaTreeCore {
    static let leafCapacity = 32
    static let innerCapacity = 16
    private static let maxDepth = 24
    // Leaf block: header 32 bytes (count Int32 @0, next Int32 @8, prev Int32 @16), keys @32,
    // values @32 + 8 * leafCapacity; 1088 bytes (17 cache lines).
    private static let leafKeysOffset = 32
    private static let leafValsOffset = 32 + 8 * leafCapacity
    private static let leafBytes = 1088
    // Inner block: count Int32 @0, keys @8 (key i at 8 + 8 i), children Int32 @8 + 8 * cap; 832 bytes.
    private static let innerKeysOffset = 8
    private static let innerChildOffset = 8 + 8 * innerCapacity
    private static let innerBytes = 256

    /// Number of areas stored.
    private(set) var count = 0
    /// 0 when the root is a leaf.
    private var height = 0
    private var root: Int32 = 0

    private var leafArena: UnsafeMutableRawPointer
    private var leafSlots: Int
    private var leafUsed = 0
    private var freeLeaves: [Int32] = []

    private var innerArena: UnsafeMutableRawPointer
    private var innerSlots: Int
    private var innerUsed = 0
    private var freeInner: [Int32] = []

    // Descent path scratch: the inner node at depth d and the child index taken there.
    private let pathNode: UnsafeMutablePointer<Int32>
    private let pathIdx: UnsafeMutablePointer<Int>
    // Scratch for inner splits (one more than a node holds).
    private let splitKeys: UnsafeMutablePointer<UInt64>
    private let splitChild: UnsafeMutablePointer<Int32>

    init() {
        leafSlots = 4
        innerSlots = 4
        leafArena = .allocate(byteCount: leafSlots * Self.leafBytes, alignment: 64)
        innerArena = .allocate(byteCount: innerSlots * Self.innerBytes, alignment: 64)
        pathNode = .allocate(capacity: Self.maxDepth)
        pathIdx = .allocate(capacity: Self.maxDepth)
        splitKeys = .allocate(capacity: Self.innerCapacity + 1)
        splitChild = .allocate(capacity: Self.innerCapacity + 1)
        root = 0
        root = allocLeaf()
    }

    func deallocate() {
        leafArena.deallocate()
        innerArena.deallocate()
        pathNode.deallocate(); pathIdx.deallocate(); splitKeys.deallocate(); splitChild.deallocate()
    }

    /// Bytes held by the arenas (what a mapping costs, divided by `count`).
    var bytesAllocated: Int { leafSlots * Self.leafBytes + innerSlots * Self.innerBytes }

    var isEmpty: Bool { count == 0 }

    // MARK: Node access

    @inline(__always) private func lb(_ leaf: Int32) -> UnsafeMutableRawPointer { leafArena + Int(leaf) &* Self.leafBytes }
    @inline(__always) private func lcount(_ leaf: Int32) -> Int { Int(lb(leaf).load(as: Int32.self)) }
    @inline(__always) private func setLCount(_ leaf: Int32, _ v: Int) { lb(leaf).storeBytes(of: Int32(v), as: Int32.self) }
    @inline(__always) private func lnext(_ leaf: Int32) -> Int32 { lb(leaf).load(fromByteOffset: 8, as: Int32.self) }
    @inline(__always) private func setLNext(_ leaf: Int32, _ v: Int32) { lb(leaf).storeBytes(of: v, toByteOffset: 8, as: Int32.self) }
    @inline(__always) private func lprev(_ leaf: Int32) -> Int32 { lb(leaf).load(fromByteOffset: 16, as: Int32.self) }
    @inline(__always) private func setLPrev(_ leaf: Int32, _ v: Int32) { lb(leaf).storeBytes(of: v, toByteOffset: 16, as: Int32.self) }
    @inline(__always) private func lkeys(_ leaf: Int32) -> UnsafeMutablePointer<UInt64> {
        (lb(leaf) + Self.leafKeysOffset).assumingMemoryBound(to: UInt64.self)
    }
    @inline(__always) private func lvals(_ leaf: Int32) -> UnsafeMutablePointer<AreaValue> {
        (lb(leaf) + Self.leafValsOffset).assumingMemoryBound(to: AreaValue.self)
    }

    @inline(__always) private func ib(_ node: Int32) -> UnsafeMutableRawPointer { innerArena + Int(node) &* Self.innerBytes }
    @inline(__always) private func icount(_ node: Int32) -> Int { Int(ib(node).load(as: Int32.self)) }
    @inline(__always) private func setICount(_ node: Int32, _ v: Int) { ib(node).storeBytes(of: Int32(v), as: Int32.self) }
    @inline(__always) private func ikeys(_ node: Int32) -> UnsafeMutablePointer<UInt64> {
        (ib(node) + Self.innerKeysOffset).assumingMemoryBound(to: UInt64.self)
    }
    @inline(__always) private func ichild(_ node: Int32) -> UnsafeMutablePointer<Int32> {
        (ib(node) + Self.innerChildOffset).assumingMemoryBound(to: Int32.self)
    }

    /// Moves `n` elements within one array (memmove semantics).
    @inline(__always)
    private static func move<T>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafeMutablePointer<T>, _ n: Int) {
        if n > 0 { memmove(dst, src, n &* MemoryLayout<T>.stride) }
    }

    // MARK: Arena management

    private static func grow(_ p: UnsafeMutableRawPointer, bytes old: Int, to new: Int) -> UnsafeMutableRawPointer {
        // A large arena sits on 2 MiB boundaries and asks for transparent huge pages: a descent
        // at 1e6 areas touches several nodes megabytes apart, and with 4 KiB pages each of
        // those is a TLB miss as well as a cache miss.
        let huge = 2 << 20
        let q = UnsafeMutableRawPointer.allocate(byteCount: new, alignment: new >= huge ? huge : 64)
        if new >= huge { _ = madvise(q, new & ~(huge - 1), 14 /* MADV_HUGEPAGE */) }
        q.copyMemory(from: p, byteCount: old)
        p.deallocate()
        return q
    }

    /// A node slot of an arena: a freed one, else the next unused one (doubling the arena when
    /// it is full; node indexes stay valid, pointers into the arena do not).
    private static func takeSlot(_ arena: inout UnsafeMutableRawPointer, slots: inout Int, used: inout Int,
                                 free: inout [Int32], bytes: Int) -> Int32 {
        if let f = free.popLast() { return f }
        if used == slots {
            arena = grow(arena, bytes: slots * bytes, to: slots * 2 * bytes)
            slots *= 2
        }
        used += 1
        return Int32(used - 1)
    }

    private mutating func allocLeaf() -> Int32 {
        let n = Self.takeSlot(&leafArena, slots: &leafSlots, used: &leafUsed, free: &freeLeaves, bytes: Self.leafBytes)
        setLCount(n, 0); setLNext(n, -1); setLPrev(n, -1)
        return n
    }

    private mutating func freeLeaf(_ n: Int32) {
        let p = lprev(n), q = lnext(n)
        if p >= 0 { setLNext(p, q) }
        if q >= 0 { setLPrev(q, p) }
        freeLeaves.append(n)
    }

    private mutating func allocInner() -> Int32 {
        let n = Self.takeSlot(&innerArena, slots: &innerSlots, used: &innerUsed, free: &freeInner, bytes: Self.innerBytes)
        setICount(n, 0)
        return n
    }

    // MARK: Search

    /// Walks from the root to the leaf whose key range holds `x`, recording the path.
    @inline(__always)
    private func descend(_ x: UInt64) -> Int32 {
        var node = root
        var depth = 0
        while depth < height {
            let n = icount(node)
            let keys = ikeys(node)
            // The last index in [0, n) whose separator is <= x (index 0 has none: it is the
            // default). Branch-free: random keys make a branchy search mispredict every step.
            var base = 0, len = n
            while len > 1 {
                let half = len >> 1
                base = keys[base &+ half] <= x ? base &+ half : base
                len &-= half
            }
            let i = base
            pathNode[depth] = node
            pathIdx[depth] = i
            node = ichild(node)[i]
            depth &+= 1
        }
        return node
    }

    /// First index in `leaf` whose key is >= x (the leaf's count if none).
    @inline(__always)
    private func lowerBound(_ leaf: Int32, _ x: UInt64) -> Int {
        let keys = lkeys(leaf)
        let n = lcount(leaf)
        if n == 0 { return 0 }
        // Branch-free: the last index whose key is < x, then one past it.
        var base = 0, len = n
        while len > 1 {
            let half = len >> 1
            base = keys[base &+ half] < x ? base &+ half : base
            len &-= half
        }
        return keys[base] < x ? base &+ 1 : base
    }

    /// First index in `leaf` whose key is > x.
    @inline(__always)
    private func upperBound(_ leaf: Int32, _ x: UInt64) -> Int {
        let keys = lkeys(leaf)
        let n = lcount(leaf)
        if n == 0 { return 0 }
        // Branch-free: the last index whose key is <= x, then one past it.
        var base = 0, len = n
        while len > 1 {
            let half = len >> 1
            base = keys[base &+ half] <= x ? base &+ half : base
            len &-= half
        }
        return keys[base] <= x ? base &+ 1 : base
    }

    @inline(__always)
    private func record(_ leaf: Int32, _ i: Int) -> AreaRecord {
        let v = lvals(leaf)[i]
        return AreaRecord(start: lkeys(leaf)[i], last: v.last, addr: v.addr, meta: v.meta)
    }

    /// The area that holds `start` exactly as its first IOVA.
    func find(start: UInt64) -> AreaRecord? {
        let leaf = descend(start)
        let i = lowerBound(leaf, start)
        guard i < lcount(leaf), lkeys(leaf)[i] == start else { return nil }
        return record(leaf, i)
    }

    /// The first area (lowest IOVA) that intersects `[first, last]` (`iopt_area_iter_first`).
    func firstIntersecting(_ first: UInt64, _ last: UInt64) -> AreaRecord? {
        if count == 0 { return nil }
        let leaf = descend(first)
        let f = upperBound(leaf, first) &- 1
        var candLeaf = leaf
        var candIdx: Int
        if f >= 0 {
            if lvals(leaf)[f].last >= first { return record(leaf, f) }
            candIdx = f &+ 1
        } else {
            // The floor may sit at the end of the previous leaf (separators are lower bounds).
            let p = lprev(leaf)
            if p >= 0 {
                let pc = lcount(p)
                if pc > 0 && lvals(p)[pc &- 1].last >= first { return record(p, pc &- 1) }
            }
            candIdx = 0
        }
        if candIdx >= lcount(candLeaf) {
            candLeaf = lnext(candLeaf)
            candIdx = 0
            if candLeaf < 0 { return nil }
        }
        return lkeys(candLeaf)[candIdx] <= last ? record(candLeaf, candIdx) : nil
    }

    /// The first area whose first IOVA is greater than `start` (in-order successor).
    func next(after start: UInt64) -> AreaRecord? {
        if count == 0 { return nil }
        var leaf = descend(start)
        var i = upperBound(leaf, start)
        if i >= lcount(leaf) {
            leaf = lnext(leaf)
            i = 0
            if leaf < 0 { return nil }
        }
        return record(leaf, i)
    }

    /// The area with the lowest IOVA.
    var first: AreaRecord? {
        if count == 0 { return nil }
        var leaf = descend(0)
        while leaf >= 0 && lcount(leaf) == 0 { leaf = lnext(leaf) }
        return leaf >= 0 ? record(leaf, 0) : nil
    }

    /// Visits every area in IOVA order; `body` returns false to stop.
    func forEach(_ body: (AreaRecord) -> Bool) {
        if count == 0 { return }
        var leaf = descend(0)
        while leaf >= 0 && lprev(leaf) >= 0 { leaf = lprev(leaf) }
        while leaf >= 0 {
            let n = lcount(leaf)
            for i in 0..<n where !body(record(leaf, i)) { return }
            leaf = lnext(leaf)
        }
    }

    /// Visits, in order, the areas that intersect `[first, last]`; `body` returns false to stop.
    func forEach(intersecting first: UInt64, _ last: UInt64, _ body: (AreaRecord) -> Bool) {
        guard let start = firstIntersecting(first, last) else { return }
        var leaf = descend(start.start)
        var i = lowerBound(leaf, start.start)
        if i >= lcount(leaf) || lkeys(leaf)[i] != start.start {
            // The area sits at the end of the previous leaf.
            leaf = lprev(leaf)
            i = lcount(leaf) - 1
        }
        while leaf >= 0 {
            let n = lcount(leaf)
            while i < n {
                let r = record(leaf, i)
                if r.start > last { return }
                if !body(r) { return }
                i &+= 1
            }
            leaf = lnext(leaf)
            i = 0
        }
    }

    /// All areas, in order (for tests and diagnostics).
    var all: [AreaRecord] {
        var out: [AreaRecord] = []
        out.reserveCapacity(count)
        forEach { out.append($0); return true }
        return out
    }

    // MARK: Insert

    /// Inserts an area; the caller has checked that it overlaps no other.
    mutating func insert(_ r: AreaRecord) {
        let leaf = descend(r.start)
        let cnt = lcount(leaf)
        let pos = lowerBound(leaf, r.start)
        count &+= 1
        let value = AreaValue(last: r.last, addr: r.addr, meta: r.meta)
        if cnt < Self.leafCapacity {
            let keys = lkeys(leaf), vals = lvals(leaf)
            Self.move(keys + pos + 1, keys + pos, cnt &- pos)
            Self.move(vals + pos + 1, vals + pos, cnt &- pos)
            keys[pos] = r.start
            vals[pos] = value
            setLCount(leaf, cnt &+ 1)
            return
        }
        // Split the full leaf. allocLeaf may move the arena: take pointers after it.
        let right = allocLeaf()
        if pos == cnt && lnext(leaf) < 0 {
            // Appending at the right edge: leave the left leaf full.
            lkeys(right)[0] = r.start
            lvals(right)[0] = value
            setLCount(right, 1)
        } else {
            let half = Self.leafCapacity / 2
            let moved = cnt - half
            (lkeys(right)).update(from: lkeys(leaf) + half, count: moved)
            (lvals(right)).update(from: lvals(leaf) + half, count: moved)
            setLCount(leaf, half)
            setLCount(right, moved)
            let (target, tpos) = pos <= half ? (leaf, pos) : (right, pos - half)
            let tcnt = lcount(target)
            let keys = lkeys(target), vals = lvals(target)
            Self.move(keys + tpos + 1, keys + tpos, tcnt - tpos)
            Self.move(vals + tpos + 1, vals + tpos, tcnt - tpos)
            keys[tpos] = r.start
            vals[tpos] = value
            setLCount(target, tcnt + 1)
        }
        // Link the new leaf after the old one.
        let nxt = lnext(leaf)
        setLNext(right, nxt)
        setLPrev(right, leaf)
        setLNext(leaf, right)
        if nxt >= 0 { setLPrev(nxt, right) }
        insertIntoParent(depth: height - 1, separator: lkeys(right)[0], newChild: right)
    }

    /// Adds `newChild` right after the child taken at `depth` on the recorded path.
    private mutating func insertIntoParent(depth: Int, separator: UInt64, newChild: Int32) {
        if depth < 0 {
            let oldRoot = root
            let nr = allocInner()
            ichild(nr)[0] = oldRoot
            ichild(nr)[1] = newChild
            ikeys(nr)[1] = separator
            setICount(nr, 2)
            root = nr
            height += 1
            return
        }
        let node = pathNode[depth]
        let i = pathIdx[depth]
        let n = icount(node)
        let at = i + 1
        if n < Self.innerCapacity {
            let keys = ikeys(node), children = ichild(node)
            Self.move(children + at + 1, children + at, n - at)
            Self.move(keys + at + 1, keys + at, n - at)
            children[at] = newChild
            keys[at] = separator
            setICount(node, n + 1)
            return
        }
        // Split: gather n + 1 children in scratch, then share them out.
        var onRightEdge = at == n
        if onRightEdge {
            for d in 0..<depth where pathIdx[d] != icount(pathNode[d]) - 1 {
                onRightEdge = false
                break
            }
        }
        let right = allocInner()
        if onRightEdge {
            ichild(right)[0] = newChild
            setICount(right, 1)
            insertIntoParent(depth: depth - 1, separator: separator, newChild: right)
            return
        }
        let keys = ikeys(node), children = ichild(node)
        splitChild.update(from: children, count: at)
        splitKeys.update(from: keys, count: at)
        splitChild[at] = newChild
        splitKeys[at] = separator
        if at < n {
            (splitChild + at + 1).update(from: children + at, count: n - at)
            (splitKeys + at + 1).update(from: keys + at, count: n - at)
        }
        let total = n + 1
        let leftCount = total / 2
        let rightCount = total - leftCount
        children.update(from: splitChild, count: leftCount)
        keys.update(from: splitKeys, count: leftCount)
        setICount(node, leftCount)
        ichild(right).update(from: splitChild + leftCount, count: rightCount)
        ikeys(right).update(from: splitKeys + leftCount, count: rightCount)
        setICount(right, rightCount)
        insertIntoParent(depth: depth - 1, separator: splitKeys[leftCount], newChild: right)
    }

    // MARK: Remove

    /// Removes the area that starts at `start`; returns it, or nil if none starts there.
    @discardableResult
    mutating func remove(start: UInt64) -> AreaRecord? {
        let leaf = descend(start)
        let cnt = lcount(leaf)
        let pos = lowerBound(leaf, start)
        guard pos < cnt, lkeys(leaf)[pos] == start else { return nil }
        let removed = record(leaf, pos)
        let keys = lkeys(leaf), vals = lvals(leaf)
        Self.move(keys + pos, keys + pos + 1, cnt &- pos &- 1)
        Self.move(vals + pos, vals + pos + 1, cnt &- pos &- 1)
        let newCount = cnt &- 1
        setLCount(leaf, newCount)
        count &-= 1
        if height == 0 { return removed }
        if newCount == 0 {
            removeChild(depth: height - 1, index: pathIdx[height - 1], isLeafLevel: true)
        } else if newCount < Self.leafCapacity / 4 {
            mergeLeaf(leaf)
        }
        return removed
    }

    /// Removes every area.
    mutating func removeAll() {
        leafUsed = 0
        innerUsed = 0
        freeLeaves.removeAll()
        freeInner.removeAll()
        height = 0
        count = 0
        root = allocLeaf()
    }

    private mutating func mergeLeaf(_ leaf: Int32) {
        let d = height - 1
        let parent = pathNode[d]
        let i = pathIdx[d]
        let n = icount(parent)
        if n < 2 { return }
        let leftIndex = i > 0 ? i - 1 : i
        let l = ichild(parent)[leftIndex]
        let r = ichild(parent)[leftIndex + 1]
        let lc = lcount(l), rc = lcount(r)
        guard lc + rc <= Self.leafCapacity else { return }
        (lkeys(l) + lc).update(from: lkeys(r), count: rc)
        (lvals(l) + lc).update(from: lvals(r), count: rc)
        setLCount(l, lc + rc)
        setLCount(r, 0)
        removeChild(depth: d, index: leftIndex + 1, isLeafLevel: true)
    }

    /// Removes child `index` of the inner node at `depth` on the path, freeing it.
    private mutating func removeChild(depth: Int, index: Int, isLeafLevel: Bool) {
        let node = pathNode[depth]
        let n = icount(node)
        let keys = ikeys(node), children = ichild(node)
        let child = children[index]
        if isLeafLevel { freeLeaf(child) } else { freeInner.append(child) }
        if index + 1 < n {
            Self.move(children + index, children + index + 1, n - index - 1)
            if index == 0 {
                // The new first child needs no separator; drop the old child 1 separator.
                Self.move(keys + 1, keys + 2, max(0, n - 2))
            } else {
                Self.move(keys + index, keys + index + 1, n - index - 1)
            }
        }
        let newCount = n - 1
        setICount(node, newCount)
        if depth == 0 {
            if newCount == 1 {
                // Collapse the root.
                root = ichild(node)[0]
                freeInner.append(node)
                height -= 1
            } else if newCount == 0 {
                removeAll()
            }
            return
        }
        if newCount == 0 {
            removeChild(depth: depth - 1, index: pathIdx[depth - 1], isLeafLevel: false)
        } else if newCount < Self.innerCapacity / 4 {
            mergeInner(depth: depth)
        }
    }

    private mutating func mergeInner(depth: Int) {
        let pd = depth - 1
        let parent = pathNode[pd]
        let i = pathIdx[pd]
        let n = icount(parent)
        if n < 2 { return }
        let leftIndex = i > 0 ? i - 1 : i
        let l = ichild(parent)[leftIndex]
        let r = ichild(parent)[leftIndex + 1]
        let lc = icount(l), rc = icount(r)
        guard lc + rc <= Self.innerCapacity else { return }
        (ichild(l) + lc).update(from: ichild(r), count: rc)
        ikeys(l)[lc] = ikeys(parent)[leftIndex + 1]
        if rc > 1 { (ikeys(l) + lc + 1).update(from: ikeys(r) + 1, count: rc - 1) }
        setICount(l, lc + rc)
        setICount(r, 0)
        removeChild(depth: pd, index: leftIndex + 1, isLeafLevel: false)
    }
}

/// The B+-tree behind one io_pagetable. The state lives behind a pointer so that the hot path
/// reads it without Swift's dynamic exclusivity checks on class properties.
final class AreaTree {
    private let core: UnsafeMutablePointer<AreaTreeCore>

    init() {
        core = .allocate(capacity: 1)
        core.initialize(to: AreaTreeCore())
    }

    deinit {
        core.pointee.deallocate()
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// Number of areas stored.
    @inline(__always) var count: Int { core.pointee.count }
    @inline(__always) var isEmpty: Bool { core.pointee.count == 0 }
    /// Bytes held by the arenas.
    var bytesAllocated: Int { core.pointee.bytesAllocated }
    /// The area that starts exactly at `start`.
    @inline(__always) func find(start: UInt64) -> AreaRecord? { core.pointee.find(start: start) }
    /// The lowest area intersecting `[first, last]` (`iopt_area_iter_first`).
    @inline(__always) func firstIntersecting(_ first: UInt64, _ last: UInt64) -> AreaRecord? {
        core.pointee.firstIntersecting(first, last)
    }
    /// The in-order successor of the area starting at `start`.
    func next(after start: UInt64) -> AreaRecord? { core.pointee.next(after: start) }
    /// The lowest area.
    var first: AreaRecord? { core.pointee.first }
    /// Visits every area in order; `body` returns false to stop.
    func forEach(_ body: (AreaRecord) -> Bool) { core.pointee.forEach(body) }
    /// Visits the areas intersecting `[first, last]` in order.
    func forEach(intersecting first: UInt64, _ last: UInt64, _ body: (AreaRecord) -> Bool) {
        core.pointee.forEach(intersecting: first, last, body)
    }
    /// All areas, in order.
    var all: [AreaRecord] { core.pointee.all }
    /// Inserts an area that overlaps no other.
    @inline(__always) func insert(_ r: AreaRecord) { core.pointee.insert(r) }
    /// Removes the area starting at `start`.
    @inline(__always) @discardableResult func remove(start: UInt64) -> AreaRecord? { core.pointee.remove(start: start) }
    /// Removes every area.
    func removeAll() { core.pointee.removeAll() }
}
