import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// What `zaak log verifieer` checked.
public struct VerifyReport: Sendable {
    public let segments: Int
    public let events: Int64
    public let dataFrames: Int
    public let checkpoints: Int
    public let fileBytes: Int
    public let root: MerkleHash
}

/// One segment checked on its own, starting from the frontier its header claims.
private struct SegmentVerification {
    var headerFirst: Int64 = 0
    var headerFrontier: [MerkleHash] = []
    var end = ScanState(nextPosition: 0)
    var firstRecordedAt: Int64?
    var dataFrames = 0, checkpoints = 0, fileBytes = 0
    var idFingerprints: [UInt64] = []
    var failure: DamageLocation?
}

extension EventLog {
    /// Checks everything log-format §10 lists, on the log as it stands now (taken under the writers'
    /// lock, so an append in progress is not mistaken for damage). Segments are checked in parallel,
    /// each from its header's frontier, and then chained in order: each header must continue exactly
    /// where the previous segment's recomputed tree ended. Throws `LogError.damaged` naming the
    /// first bad file, byte offset and position.
    public func verify() throws -> VerifyReport {
        let snapshot = try self.snapshot()
        var segments = try self.segments()
        if let snapshot { segments = segments.filter { $0.firstPosition <= snapshot.segment.firstPosition } }
        let results = try verifyEach(segments, snapshot: snapshot)

        var expected = MerkleFrontier()
        var lastRecordedAt = Int64.min
        var seen = Set<UInt64>(), suspects = Set<UInt64>()
        var frames = 0, checkpoints = 0, bytes = 0
        for (segment, result) in zip(segments, results) {
            func damage(_ position: Int64, _ reason: String) -> LogError {
                .damaged(DamageLocation(file: segment.fileName, offset: 0, position: position, reason: reason))
            }
            if result.failure == nil || result.headerFirst != 0 {
                guard result.headerFirst == expected.size + 1 else {
                    throw damage(expected.size + 1, "segment begint bij positie \(result.headerFirst), verwacht \(expected.size + 1) (ontbrekend of dubbel segment)")
                }
                guard result.headerFrontier == expected.hashes else {
                    throw damage(result.headerFirst, "frontier in de segmentkop klopt niet met de herberekende Merkle-boom")
                }
                if let first = result.firstRecordedAt, first < lastRecordedAt {
                    throw damage(result.headerFirst, "vastgelegdOp van positie \(result.headerFirst) ligt vóór die van de vorige regel")
                }
            }
            if let failure = result.failure { throw LogError.damaged(failure) }
            expected = result.end.tree!
            lastRecordedAt = result.end.lastRecordedAt
            frames += result.dataFrames
            checkpoints += result.checkpoints
            bytes += result.fileBytes
            for fingerprint in result.idFingerprints where !seen.insert(fingerprint).inserted { suspects.insert(fingerprint) }
        }
        if !suspects.isEmpty { try confirmUniqueIds(suspects, snapshot: snapshot) }
        return VerifyReport(segments: segments.count, events: expected.size, dataFrames: frames,
                            checkpoints: checkpoints, fileBytes: bytes, root: expected.root)
    }

    /// Checks every segment on its own, on as many threads as there are cores.
    private func verifyEach(_ segments: [SegmentName], snapshot: LogSnapshot?) throws -> [SegmentVerification] {
        final class Work: @unchecked Sendable {
            let lock = Lock()
            var next = 0
            var results: [SegmentVerification?]
            var error: Error?
            init(count: Int) { results = Array(repeating: nil, count: count) }
        }
        let work = Work(count: segments.count)
        let workers = max(1, min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), segments.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let scanner = SegmentScanner(checkJSON: true)
            while true {
                work.lock.lock()
                let index = work.next
                work.next += 1
                work.lock.unlock()
                guard index < segments.count else { return }
                let isLast = index == segments.count - 1
                do {
                    let result = try verify(segments[index], isLast: isLast, snapshot: snapshot, scanner: scanner)
                    work.lock.lock()
                    work.results[index] = result
                    work.lock.unlock()
                } catch {
                    work.lock.lock()
                    work.error = work.error ?? error
                    work.lock.unlock()
                }
            }
        }
        if let error = work.error { throw error }
        return work.results.map { $0! }
    }

    private func verify(_ listed: SegmentName, isLast: Bool, snapshot: LogSnapshot?, scanner: SegmentScanner) throws -> SegmentVerification {
        let (segment, bytes) = try readListedSegment(listed, snapshot: snapshot)
        var result = SegmentVerification()
        result.fileBytes = bytes.count
        func fail(_ offset: Int, _ position: Int64, _ reason: String) -> SegmentVerification {
            result.failure = DamageLocation(file: segment.fileName, offset: Int64(offset), position: position, reason: reason)
            return result
        }
        guard case let .success((first, hashes, headerEnd)) = bytes.withUnsafeBytes({ scanner.header(of: $0) }) else {
            return fail(0, segment.firstPosition, "ongeldige segmentkop")
        }
        guard first == segment.firstPosition, let frontier = MerkleFrontier(size: first - 1, hashes: hashes) else {
            return fail(0, segment.firstPosition, "segmentkop noemt positie \(first), de bestandsnaam \(segment.firstPosition)")
        }
        result.headerFirst = first
        result.headerFrontier = hashes
        var state = ScanState(nextPosition: first, tree: frontier)
        var fingerprints: [UInt64] = []
        var firstRecordedAt: Int64?
        var frames = 0, checkpoints = 0
        let outcome = bytes.withUnsafeBytes { raw in
            scanner.scan(raw, from: headerEnd, state: &state,
                             onFrame: { _ in frames += 1 },
                             onCheckpoint: { _, _ in checkpoints += 1 },
                             onLine: { line in
                                 if firstRecordedAt == nil { firstRecordedAt = line.recordedAt }
                                 fingerprints.append(fnv1a64(line.id))
                                 return true
                             })
        }
        result.end = state
        result.firstRecordedAt = firstRecordedAt
        result.idFingerprints = fingerprints
        result.dataFrames = frames
        result.checkpoints = checkpoints
        if case let .invalid(offset, reason, tornCandidate) = outcome {
            let torn = isLast && tornCandidate && !segment.sealed
            return fail(offset, state.nextPosition, torn
                ? "onvolledig laatste frame (\(reason)); een afgebroken schrijfactie? `zaak log herstel` kapt het af"
                : reason)
        }
        return result
    }

    /// Second pass over the few ids whose fingerprints collided: are they really the same id?
    private func confirmUniqueIds(_ suspects: Set<UInt64>, snapshot: LogSnapshot?) throws {
        var firstSeen: [String: Int64] = [:]
        var duplicate: (String, Int64, Int64)?
        _ = try scanLog(from: 1, snapshot: snapshot) { line in
            guard suspects.contains(fnv1a64(line.id)) else { return true }
            let id = String(decoding: line.id, as: UTF8.self)
            if let earlier = firstSeen[id] {
                duplicate = (id, line.position, earlier)
                return false
            }
            firstSeen[id] = line.position
            return true
        }
        if let (id, position, earlier) = duplicate {
            throw LogError.damaged(DamageLocation(file: "(log)", offset: 0, position: position, reason: "id '\(id)' staat ook op positie \(earlier)"))
        }
    }
}
