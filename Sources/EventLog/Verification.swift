import Dispatch
import Locking
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
    public let signedCheckpoints: Int
    public let unsignedCheckpoints: Int
    /// The keys signatures were checked against; empty: only their form was checked.
    public let trustedKeys: [CheckpointPublicKey]
    /// The signed checkpoint with the largest tree size: positions after it are not yet under a signature.
    public let lastSignedCheckpoint: Checkpoint?
}

/// A checkpoint's signature that does not hold, found while its segment is scanned.
private struct SignatureFailure: Error {
    let offset: Int
    let treeSize: Int64
    let reason: String
}

/// A stretch of one segment checked on its own: from the segment header, or from just after a
/// checkpoint whose frontier it resumes. Large segments are cut at checkpoints so that every core
/// has work to the end (whole segments left one core idle for up to a segment's time).
private struct VerifyUnit {
    let segment: SegmentName
    /// Read through the descriptor opened when the segment was planned, so a seal that replaces
    /// the file meanwhile does not move the bytes under the plan.
    let file: FileHandle
    let range: Range<Int>
    /// nil: the unit begins with the segment header at offset 0.
    let resume: Checkpoint?
    /// The end of the log: only here may a half-written frame be an append in progress.
    let isTail: Bool
    /// The size of the segment file, counted once (with its first unit).
    let segmentBytes: Int
}

/// What one unit found.
private struct UnitVerification {
    var headerFirst: Int64 = 0
    var headerFrontier: [MerkleHash] = []
    var end = ScanState(nextPosition: 0)
    var firstRecordedAt: Int64?
    var dataFrames = 0, checkpoints = 0
    var idFingerprints: [UInt64] = []
    var failure: DamageLocation?
    var signed = 0, unsigned = 0
    var lastSigned: Checkpoint?
    /// The first unsigned checkpoint, and the first one after a signed one in this unit.
    var firstUnsigned: (offset: Int, treeSize: Int64)?
    var unsignedAfterSigned: (offset: Int, treeSize: Int64)?
}

extension EventLog {
    /// Checks everything log-format §10 lists, on the log as it stands now (taken under the writers'
    /// lock, so an append in progress is not mistaken for damage). Segments, cut at checkpoints
    /// into pieces of a few MiB, are checked in parallel, each piece from the frontier its header or
    /// checkpoint claims, and then chained in order: each must continue exactly where the tree
    /// recomputed before it ended. Throws `LogError.damaged` naming the first bad file, byte offset
    /// and position.
    ///
    /// Signatures are checked against `keys`; nil means the installation's own public key (none
    /// when it has no key). Once a checkpoint is signed, every later one must be too.
    /// `requireSignature`: an auditor's check, where a log without any signed checkpoint fails.
    public func verify(trusting keys: [CheckpointPublicKey]? = nil, requireSignature: Bool = false) throws -> VerifyReport {
        let keys = try keys ?? installationKeys()
        let snapshot = try self.snapshot()
        var segments = try self.segments()
        if let snapshot { segments = segments.filter { $0.firstPosition <= snapshot.segment.firstPosition } }
        let units = try plan(segments, snapshot: snapshot)
        let results = try verifyEach(units, keys: keys)

        var expected = MerkleFrontier()
        var lastRecordedAt = Int64.min
        var fingerprints: [UInt64] = []
        fingerprints.reserveCapacity(results.reduce(0) { $0 + $1.idFingerprints.count })
        var frames = 0, checkpoints = 0, bytes = 0, signed = 0, unsigned = 0
        var lastSigned: Checkpoint?
        for (unit, result) in zip(units, results) {
            func damage(_ position: Int64, _ reason: String) -> LogError {
                .damaged(DamageLocation(file: unit.segment.fileName, offset: Int64(unit.range.lowerBound), position: position, reason: reason))
            }
            if let resume = unit.resume {
                // The unit before ended by checking this very checkpoint against its tree.
                guard resume.treeSize == expected.size, resume.frontier == expected.hashes else {
                    throw damage(expected.size + 1, "checkpoint voor boomgrootte \(resume.treeSize) sluit niet aan op de herberekende Merkle-boom")
                }
            } else if result.failure == nil || result.headerFirst != 0 {
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
            if let stripped = lastSigned == nil ? result.unsignedAfterSigned : result.firstUnsigned {
                throw LogError.damaged(DamageLocation(file: unit.segment.fileName, offset: Int64(stripped.offset), position: stripped.treeSize,
                    reason: "checkpoint voor posities 1–\(stripped.treeSize) is niet ondertekend, terwijl een eerder checkpoint dat wel is (handtekening verwijderd?)"))
            }
            signed += result.signed
            unsigned += result.unsigned
            lastSigned = result.lastSigned ?? lastSigned
            expected = result.end.tree!
            lastRecordedAt = result.end.lastRecordedAt
            frames += result.dataFrames
            checkpoints += result.checkpoints
            bytes += unit.segmentBytes
            fingerprints += result.idFingerprints
        }
        // Each unit's fingerprints came sorted (by its worker): sorting the runs and comparing
        // neighbours is several times cheaper than a hash set, and this part runs on one core.
        fingerprints.sort()
        let suspects = Set(zip(fingerprints, fingerprints.dropFirst()).filter { $0 == $1 }.map(\.0))
        if !suspects.isEmpty { try confirmUniqueIds(suspects, snapshot: snapshot) }
        if requireSignature, lastSigned == nil {
            throw LogError.damaged(DamageLocation(file: "(log)", offset: 0, position: 1,
                reason: "geen enkel checkpoint is ondertekend; met een publieke sleutel verwacht de controle handtekeningen"))
        }
        return VerifyReport(segments: segments.count, events: expected.size, dataFrames: frames,
                            checkpoints: checkpoints, fileBytes: bytes, root: expected.root,
                            signedCheckpoints: signed, unsignedCheckpoints: unsigned, trustedKeys: keys, lastSignedCheckpoint: lastSigned)
    }

    /// The installation's public key, when it has one.
    func installationKeys() throws -> [CheckpointPublicKey] {
        guard let keyDirectory, let key = try KeyStore.publicKey(in: keyDirectory) else { return [] }
        return [key]
    }

    /// Cuts each segment after a checkpoint once `configuration.verifyUnitBytes` of lines have passed, walking
    /// frame headers only (the frames themselves are checked by the units).
    private func plan(_ segments: [SegmentName], snapshot: LogSnapshot?) throws -> [VerifyUnit] {
        var units: [VerifyUnit] = []
        for (number, listed) in segments.enumerated() {
            var segment = listed
            if !segment.sealed, !Directory.exists(logPath(segment)) {
                segment = SegmentName(firstPosition: segment.firstPosition, sealed: true)  // sealed since it was listed
            }
            let file = try FileHandle(path: logPath(segment), flags: O_RDONLY)
            var bytes = try file.readAll()
            if let snapshot, segment == snapshot.segment, bytes.count > snapshot.size { bytes.removeLast(bytes.count - snapshot.size) }
            var cuts: [(offset: Int, checkpoint: Checkpoint)] = []
            bytes.withUnsafeBytes { raw in
                var offset = 0, content = 0
                while case let .frame(bounds) = FrameWalker.frame(in: raw, at: offset) {
                    switch bounds.kind {
                    case let .data(size):
                        content += size
                    case .metadata:
                        if content >= configuration.verifyUnitBytes, bounds.end < raw.count,
                           case let .success(.checkpoint(checkpoint)) = MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: raw[bounds.start..<bounds.end])) {
                            cuts.append((bounds.end, checkpoint))
                            content = 0
                        }
                    }
                    offset = bounds.end
                }
            }
            var start = 0, resume: Checkpoint?
            for (index, cut) in (cuts + [(bytes.count, nil)] as [(offset: Int, checkpoint: Checkpoint?)]).enumerated() {
                units.append(VerifyUnit(segment: segment, file: file, range: start..<cut.offset, resume: resume,
                                        isTail: number == segments.count - 1 && index == cuts.count, segmentBytes: index == 0 ? bytes.count : 0))
                start = cut.offset
                resume = cut.checkpoint
            }
        }
        return units
    }

    /// Checks every unit on its own, on as many threads as there are cores.
    private func verifyEach(_ units: [VerifyUnit], keys: [CheckpointPublicKey]) throws -> [UnitVerification] {
        final class Work: @unchecked Sendable {
            let lock = Lock()
            let units: [VerifyUnit]
            var next = 0
            var results: [UnitVerification?]
            var error: Error?
            init(_ units: [VerifyUnit]) {
                self.units = units
                results = Array(repeating: nil, count: units.count)
            }
        }
        let work = Work(units)
        let workers = max(1, min(sysconf(Int32(_SC_NPROCESSORS_ONLN)), units.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let scanner = SegmentScanner(checkJSON: true)
            while true {
                work.lock.lock()
                let index = work.next
                work.next += 1
                work.lock.unlock()
                guard index < work.units.count else { return }
                do {
                    let result = try verify(work.units[index], scanner: scanner, keys: keys)
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

    private func verify(_ unit: VerifyUnit, scanner: SegmentScanner, keys: [CheckpointPublicKey]) throws -> UnitVerification {
        let bytes = try unit.file.read(at: Int64(unit.range.lowerBound), count: unit.range.count)
        let base = unit.range.lowerBound, segment = unit.segment
        var result = UnitVerification()
        func fail(_ offset: Int, _ position: Int64, _ reason: String, isTornTail: Bool = false) -> UnitVerification {
            result.failure = DamageLocation(file: segment.fileName, offset: Int64(base + offset), position: position, reason: reason, isTornTail: isTornTail)
            return result
        }
        var state: ScanState
        var from = 0
        if let resume = unit.resume {
            state = ScanState(nextPosition: resume.treeSize + 1, tree: MerkleFrontier(size: resume.treeSize, hashes: resume.frontier),
                              lastRecordedAt: resume.recordedAt, lastCheckpoint: resume)
        } else {
            guard case let .success((first, hashes, headerEnd)) = bytes.withUnsafeBytes({ scanner.header(of: $0) }) else {
                return fail(0, segment.firstPosition, "ongeldige segmentkop")
            }
            guard first == segment.firstPosition, let frontier = MerkleFrontier(size: first - 1, hashes: hashes) else {
                return fail(0, segment.firstPosition, "segmentkop noemt positie \(first), de bestandsnaam \(segment.firstPosition)")
            }
            result.headerFirst = first
            result.headerFrontier = hashes
            state = ScanState(nextPosition: first, tree: frontier)
            from = headerEnd
        }
        var fingerprints: [UInt64] = []
        var firstRecordedAt: Int64?
        var frames = 0, checkpoints = 0
        let outcome: ScanOutcome
        do {
            outcome = try bytes.withUnsafeBytes { raw in
                try scanner.scan(raw, from: from, state: &state,
                                 onFrame: { _ in frames += 1 },
                                 onCheckpoint: { checkpoint, bounds in
                                     checkpoints += 1
                                     try check(signatureOf: checkpoint, at: base + bounds.start, keys: keys, into: &result)
                                 },
                                 onLine: { line in
                                     if firstRecordedAt == nil { firstRecordedAt = line.recordedAt }
                                     fingerprints.append(fnv1a64(line.id))
                                     return true
                                 })
            }
        } catch let failure as SignatureFailure {
            return fail(failure.offset - base, failure.treeSize, failure.reason)
        }
        result.end = state
        result.firstRecordedAt = firstRecordedAt
        result.idFingerprints = fingerprints.sorted()
        result.dataFrames = frames
        result.checkpoints = checkpoints
        if case let .invalid(offset, reason, tornCandidate) = outcome {
            let torn = unit.isTail && tornCandidate && !segment.sealed
            return torn
                ? fail(offset, state.nextPosition, "onvolledig laatste frame (\(reason)); een afgebroken schrijfactie?", isTornTail: true)
                : fail(offset, state.nextPosition, reason)
        }
        return result
    }

    /// Counts a checkpoint as signed or not, and checks its signature against `keys` when there are any.
    private func check(signatureOf checkpoint: Checkpoint, at offset: Int, keys: [CheckpointPublicKey],
                       into result: inout UnitVerification) throws {
        guard let signature = checkpoint.signature else {
            result.unsigned += 1
            result.firstUnsigned = result.firstUnsigned ?? (offset, checkpoint.treeSize)
            if result.signed > 0 { result.unsignedAfterSigned = result.unsignedAfterSigned ?? (offset, checkpoint.treeSize) }
            return
        }
        if !keys.isEmpty {
            guard let key = keys.first(where: { $0.keyId == signature.keyId }) else {
                throw SignatureFailure(offset: offset, treeSize: checkpoint.treeSize,
                    reason: "checkpoint voor posities 1–\(checkpoint.treeSize) is ondertekend met onbekende sleutel \(signature.keyId); vertrouwd: \(keys.map(\.keyId).joined(separator: ", "))")
            }
            guard key.isValid(signature, for: checkpoint) else {
                throw SignatureFailure(offset: offset, treeSize: checkpoint.treeSize,
                    reason: "handtekening van het checkpoint voor posities 1–\(checkpoint.treeSize) klopt niet (sleutel \(signature.keyId)): checkpoint of handtekening is herschreven")
            }
        }
        result.signed += 1
        result.lastSigned = checkpoint
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
