import Dispatch
import Locking
#if canImport(Glibc)
import Glibc
#endif

/// What `zaak log verifieer` checked.
public struct VerifyReport: Sendable {
    public let segments: Int
    /// The lines checked: all of them, or those before a torn tail.
    public let events: Int64
    public let dataFrames: Int
    public let checkpoints: Int
    public let fileBytes: Int
    public let root: MerkleHash
    public let signedCheckpoints: Int
    public let unsignedCheckpoints: Int
    /// The keys signatures were checked against; empty: only their form was checked, so the log is
    /// intact but not shown to be the installation's (log-format §5.1).
    public let trustedKeys: [CheckpointPublicKey]
    /// The signed checkpoint with the largest tree size: positions after it are not yet under a signature.
    public let lastSignedCheckpoint: Checkpoint?
    /// A half-written frame at the end of the active segment: no part of the log (log-format §10).
    public let tornTail: TornTail?
}

/// A frame the file ends inside, at the end of the last open segment (log-format §8).
public struct TornTail: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let offset: Int64
    public let bytes: Int64
    /// The first position after the valid lines.
    public let position: Int64

    public var description: String { "\(file) vanaf byte \(offset) (\(bytes) bytes, positie \(position))" }
}

/// A checkpoint the auditor kept (or the latest published one): the log must still hold its tree.
public struct TrustedCheckpoint: Sendable {
    public let checkpoint: Checkpoint
    /// Where the auditor's copy came from, for the message.
    public let source: String

    public init(_ checkpoint: Checkpoint, source: String) {
        self.checkpoint = checkpoint
        self.source = source
    }
}

/// A frame a unit refuses for a rule the scanner does not know: a signature, a sealed segment's shape.
private struct FrameFailure: Error {
    let offset: Int
    let position: Int64
    let reason: String
}

/// A stretch of one segment checked on its own: from the segment header, or from just after a
/// checkpoint whose frontier it resumes. Large segments are cut at checkpoints so that every core
/// has work to the end (whole segments left one core idle for up to a segment's time).
private struct VerifyUnit {
    let segment: SegmentName
    let segmentNumber: Int
    /// Read through the descriptor opened when the segment was planned, so a seal that replaces
    /// the file meanwhile does not move the bytes under the plan.
    let file: FileHandle
    let range: Range<Int>
    /// nil: the unit begins with the segment header at offset 0.
    let resume: Checkpoint?
    /// The unit ends its segment, which must then end with a checkpoint unless it is the log's
    /// last and open (log-format §10.5).
    let endsSegment: Bool
    let segmentIsLast: Bool
    /// The size of the segment file, counted once (with its first unit).
    let segmentBytes: Int

    /// The end of the log: only here may a half-written frame be an append in progress.
    var isTail: Bool { segmentIsLast && endsSegment }
}

/// What one unit found.
private struct UnitVerification {
    var headerFirst: Int64 = 0
    var headerFrontier: [MerkleHash] = []
    var end = ScanState(nextPosition: 0)
    var firstRecordedAt: Int64?
    /// Where the unit's first data frame starts (its first line's time is checked against the unit before).
    var firstDataFrame = 0
    var dataFrames = 0, checkpoints = 0
    var idFingerprints: [UInt64] = []
    var failure: DamageLocation?
    /// A half-written frame that ended the unit (only the log's last): no failure.
    var tornTail: TornTail?
    var signed = 0, unsigned = 0
    var lastSigned: Checkpoint?
    /// The first unsigned checkpoint, and the first one after a signed one in this unit.
    var firstUnsigned: (offset: Int, treeSize: Int64)?
    var unsignedAfterSigned: (offset: Int, treeSize: Int64)?
}

/// A problem found, ordered as log-format §10 asks: by segment and byte offset, and at one frame the
/// frame's own failure before a repeated id before a trusted checkpoint.
private struct Problem {
    let segmentNumber: Int
    let rank: Int
    let location: DamageLocation

    func isBefore(_ other: Problem) -> Bool {
        (segmentNumber, location.offset, rank) < (other.segmentNumber, other.location.offset, other.rank)
    }
}

extension EventLog {
    /// Checks everything log-format §10 lists, on the log as it stands now (taken under the writers'
    /// lock, so an append in progress is not mistaken for damage). Segments, cut at checkpoints
    /// into pieces of a few MiB, are checked in parallel, each piece from the frontier its header or
    /// checkpoint claims, and then chained in order: each must continue exactly where the tree
    /// recomputed before it ended. Throws `LogError.damaged` naming the first problem in log order
    /// (file, byte offset, position); a torn tail is no error but part of the report.
    ///
    /// Trust comes from the caller (the auditor), never from the installation: signatures are
    /// checked against `keys`, and with keys at least one checkpoint must be signed; without keys
    /// only their form is checked. Once a checkpoint is signed, every later one must be too. Each
    /// of `trustedCheckpoints` must be in the log: the root recomputed over its size is its root.
    public func verify(trusting keys: [CheckpointPublicKey] = [], trustedCheckpoints: [TrustedCheckpoint] = []) throws -> VerifyReport {
        let snapshot = try self.snapshot()
        var segments = try self.segments()
        if let snapshot { segments = segments.filter { $0.firstPosition <= snapshot.segment.firstPosition } }
        let units = try plan(segments, snapshot: snapshot)
        let wanted = Array(Set(trustedCheckpoints.map(\.checkpoint.treeSize))).sorted()
        let results = try verifyEach(units, keys: keys, wantedRoots: wanted)

        var expected = MerkleFrontier()
        var lastRecordedAt = Int64.min
        var fingerprints: [UInt64] = []
        fingerprints.reserveCapacity(results.reduce(0) { $0 + $1.idFingerprints.count })
        var frames = 0, checkpoints = 0, bytes = 0, signed = 0, unsigned = 0
        var lastSigned: Checkpoint?
        var problem: Problem?
        var tornTail: TornTail?
        var roots: [Int64: (root: MerkleHash, segmentNumber: Int, file: String, offset: Int)] = [:]
        chain: for (unit, result) in zip(units, results) {
            func fail(_ location: DamageLocation) { problem = Problem(segmentNumber: unit.segmentNumber, rank: 0, location: location) }
            func damage(_ position: Int64, _ reason: String) {
                fail(DamageLocation(file: unit.segment.fileName, offset: Int64(unit.range.lowerBound), position: position, reason: reason))
            }
            if let resume = unit.resume {
                // The unit before ended by checking this very checkpoint against its tree.
                guard resume.treeSize == expected.size, resume.frontier == expected.hashes else {
                    damage(expected.size + 1, "checkpoint voor boomgrootte \(resume.treeSize) sluit niet aan op de herberekende Merkle-boom")
                    break chain
                }
            } else if result.failure == nil || result.headerFirst != 0 {
                guard result.headerFirst == expected.size + 1 else {
                    damage(expected.size + 1, "segment begint bij positie \(result.headerFirst), verwacht \(expected.size + 1) (ontbrekend of dubbel segment)")
                    break chain
                }
                guard result.headerFrontier == expected.hashes else {
                    damage(result.headerFirst, "frontier in de segmentkop klopt niet met de herberekende Merkle-boom")
                    break chain
                }
                if let first = result.firstRecordedAt, first < lastRecordedAt {
                    fail(DamageLocation(file: unit.segment.fileName, offset: Int64(result.firstDataFrame), position: result.headerFirst,
                                        reason: "vastgelegdOp van positie \(result.headerFirst) ligt vóór die van de vorige regel"))
                    break chain
                }
            }
            if let stripped = lastSigned == nil ? result.unsignedAfterSigned : result.firstUnsigned,
               result.failure.map({ Int64(stripped.offset) < $0.offset }) ?? true {
                fail(DamageLocation(file: unit.segment.fileName, offset: Int64(stripped.offset), position: stripped.treeSize + 1,
                    reason: "checkpoint voor posities 1–\(stripped.treeSize) is niet ondertekend, terwijl een eerder checkpoint dat wel is (handtekening verwijderd?)"))
                break chain
            }
            // What the unit checked before any failure counts: its lines are valid.
            fingerprints += result.idFingerprints
            for found in result.end.foundRoots {
                roots[found.treeSize] = (found.root, unit.segmentNumber, unit.segment.fileName, found.frameOffset)
            }
            tornTail = result.tornTail ?? tornTail
            if let failure = result.failure {
                if unit.resume == nil, failure.offset == 0 {
                    // A bad header: the lines that cannot be trusted start after those of the segments before.
                    fail(DamageLocation(file: failure.file, offset: 0, position: expected.size + 1, reason: failure.reason))
                    break chain
                } else {
                    fail(failure)
                    break chain
                }
            }
            signed += result.signed
            unsigned += result.unsigned
            lastSigned = result.lastSigned ?? lastSigned
            expected = result.end.tree!
            lastRecordedAt = result.end.lastRecordedAt
            frames += result.dataFrames
            checkpoints += result.checkpoints
            bytes += unit.segmentBytes
        }
        func consider(_ candidate: Problem) {
            if problem.map({ candidate.isBefore($0) }) ?? true { problem = candidate }
        }
        // Each unit's fingerprints came sorted (by its worker): sorting the runs and comparing
        // neighbours is several times cheaper than a hash set, and this part runs on one core.
        fingerprints.sort()
        let suspects = Set(zip(fingerprints, fingerprints.dropFirst()).filter { $0 == $1 }.map(\.0))
        if !suspects.isEmpty, let repeated = try repeatedId(among: suspects, snapshot: snapshot, segments: segments) { consider(repeated) }
        // Problems that have no frame of their own stand at the end of what was read.
        let lastUnit = units.last
        func atEnd(_ reason: String) -> Problem? {
            guard let lastUnit else { return nil }
            return Problem(segmentNumber: lastUnit.segmentNumber, rank: 3,
                           location: DamageLocation(file: lastUnit.segment.fileName, offset: Int64(lastUnit.range.upperBound),
                                                    position: expected.size + 1, reason: reason))
        }
        for trusted in trustedCheckpoints {
            let size = trusted.checkpoint.treeSize
            if let found = roots[size] {
                if found.root != trusted.checkpoint.root {
                    consider(Problem(segmentNumber: found.segmentNumber, rank: 2, location: DamageLocation(
                        file: found.file, offset: Int64(found.offset), position: size,
                        reason: "de wortel over posities 1–\(size) is \(found.root.hex); het vertrouwde checkpoint (\(trusted.source)) zegt \(trusted.checkpoint.root.hex): de geschiedenis is herschreven")))
                }
            } else if let short = atEnd("het log heeft \(expected.size) gebeurtenissen, het vertrouwde checkpoint (\(trusted.source)) \(size): het log is ingekort") {
                consider(short)
            }
        }
        if !keys.isEmpty, lastSigned == nil, let unsignedLog = atEnd("geen enkel checkpoint is ondertekend; met een vertrouwde sleutel verwacht de controle handtekeningen") {
            consider(unsignedLog)
        }
        if let problem { throw LogError.damaged(problem.location) }
        return VerifyReport(segments: segments.count, events: expected.size, dataFrames: frames,
                            checkpoints: checkpoints, fileBytes: bytes, root: expected.root,
                            signedCheckpoints: signed, unsignedCheckpoints: unsigned, trustedKeys: keys, lastSignedCheckpoint: lastSigned,
                            tornTail: tornTail)
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
            let isLast = number == segments.count - 1
            for (index, cut) in (cuts + [(bytes.count, nil)] as [(offset: Int, checkpoint: Checkpoint?)]).enumerated() {
                units.append(VerifyUnit(segment: segment, segmentNumber: number, file: file, range: start..<cut.offset, resume: resume,
                                        endsSegment: index == cuts.count, segmentIsLast: isLast,
                                        segmentBytes: index == 0 ? bytes.count : 0))
                start = cut.offset
                resume = cut.checkpoint
            }
        }
        return units
    }

    /// Checks every unit on its own, on as many threads as there are cores.
    private func verifyEach(_ units: [VerifyUnit], keys: [CheckpointPublicKey], wantedRoots: [Int64]) throws -> [UnitVerification] {
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
                    let result = try verify(work.units[index], scanner: scanner, keys: keys, wantedRoots: wantedRoots)
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

    private func verify(_ unit: VerifyUnit, scanner: SegmentScanner, keys: [CheckpointPublicKey], wantedRoots: [Int64]) throws -> UnitVerification {
        let bytes = try unit.file.read(at: Int64(unit.range.lowerBound), count: unit.range.count)
        let base = unit.range.lowerBound, segment = unit.segment
        var result = UnitVerification()
        func fail(_ offset: Int, _ position: Int64, _ reason: String) -> UnitVerification {
            result.failure = DamageLocation(file: segment.fileName, offset: Int64(base + offset), position: position, reason: reason)
            return result
        }
        var state: ScanState
        var from = 0
        if let resume = unit.resume {
            state = ScanState(nextPosition: resume.treeSize + 1, tree: MerkleFrontier(size: resume.treeSize, hashes: resume.frontier),
                              lastRecordedAt: resume.recordedAt, lastCheckpoint: resume)
        } else {
            switch bytes.withUnsafeBytes({ scanner.header(of: $0) }) {
            case let .failure(.invalid(_, reason, _)):
                return fail(0, segment.firstPosition, "ongeldige segmentkop: \(reason)")
            case .failure:
                return fail(0, segment.firstPosition, "ongeldige segmentkop")
            case let .success((first, hashes, headerEnd)):
                guard first == segment.firstPosition, let frontier = MerkleFrontier(size: first - 1, hashes: hashes) else {
                    return fail(0, segment.firstPosition, "segmentkop noemt positie \(first), de bestandsnaam \(segment.firstPosition)")
                }
                result.headerFirst = first
                result.headerFrontier = hashes
                state = ScanState(nextPosition: first, tree: frontier)
                from = headerEnd
            }
        }
        state.wantedRoots = wantedRoots.drop { $0 < state.nextPosition }
        var fingerprints: [UInt64] = []
        var firstRecordedAt: Int64?
        var frames = 0, checkpoints = 0
        // A unit starts after the header or after a checkpoint: no data frame waits for one yet.
        var lastFrameWasData = false
        let outcome: ScanOutcome
        do {
            outcome = try bytes.withUnsafeBytes { raw in
                try scanner.scan(raw, from: from, state: &state,
                                 onFrame: { info in
                                     if segment.sealed, lastFrameWasData {
                                         throw FrameFailure(offset: base + info.bounds.start, position: info.firstPosition,
                                                            reason: "in een verzegeld segment volgt op elk dataframe een checkpoint; hier niet")
                                     }
                                     if frames == 0 { result.firstDataFrame = base + info.bounds.start }
                                     frames += 1
                                     lastFrameWasData = true
                                 },
                                 onCheckpoint: { checkpoint, bounds in
                                     checkpoints += 1
                                     lastFrameWasData = false
                                     try check(signatureOf: checkpoint, at: base + bounds.start, keys: keys, into: &result)
                                 },
                                 onLine: { line in
                                     if firstRecordedAt == nil { firstRecordedAt = line.recordedAt }
                                     fingerprints.append(fnv1a64(line.id))
                                     return true
                                 })
            }
        } catch let failure as FrameFailure {
            // The lines before the refused frame were valid; the next unit's chain check never runs.
            result.end = state
            result.idFingerprints = fingerprints.sorted()
            return fail(failure.offset - base, failure.position, failure.reason)
        }
        result.end = state
        result.firstRecordedAt = firstRecordedAt
        result.idFingerprints = fingerprints.sorted()
        result.dataFrames = frames
        result.checkpoints = checkpoints
        if case let .invalid(offset, reason, short) = outcome {
            guard unit.isTail, short, !segment.sealed else { return fail(offset, state.nextPosition, reason) }
            result.tornTail = TornTail(file: segment.fileName, offset: Int64(base + offset), bytes: Int64(bytes.count - offset),
                                       position: state.nextPosition)
            return result
        }
        let closed = !unit.segmentIsLast || segment.sealed
        if unit.endsSegment, closed, lastFrameWasData || state.lastCheckpoint == nil {
            return fail(bytes.count, state.nextPosition, "\(segment.fileName) is gesloten maar eindigt niet met een checkpoint over zijn laatste regel (afgekapt?)")
        }
        return result
    }

    /// Counts a checkpoint as signed or not, and checks its signature against `keys` when there are any.
    private func check(signatureOf checkpoint: Checkpoint, at offset: Int, keys: [CheckpointPublicKey],
                       into result: inout UnitVerification) throws {
        guard checkpoint.signature != nil else {
            result.unsigned += 1
            result.firstUnsigned = result.firstUnsigned ?? (offset, checkpoint.treeSize)
            if result.signed > 0 { result.unsignedAfterSigned = result.unsignedAfterSigned ?? (offset, checkpoint.treeSize) }
            return
        }
        if !keys.isEmpty, let reason = checkpoint.signatureProblem(trusting: keys) {
            throw FrameFailure(offset: offset, position: checkpoint.treeSize + 1, reason: reason)
        }
        result.signed += 1
        result.lastSigned = checkpoint
    }

    /// Second pass over the few ids whose fingerprints collided: the first line whose id an earlier
    /// line has, located at its data frame. Reads only up to damage, if any.
    private func repeatedId(among suspects: Set<UInt64>, snapshot: LogSnapshot?, segments: [SegmentName]) throws -> Problem? {
        var firstSeen: [String: Int64] = [:]
        var frame: (segment: SegmentName, offset: Int)?
        var repeated: Problem?
        do {
            _ = try scanLog(from: 1, snapshot: snapshot, onFrame: { frame = ($0, $1.bounds.start) }) { line in
                guard suspects.contains(fnv1a64(line.id)) else { return true }
                let id = String(decoding: line.id, as: UTF8.self)
                guard let earlier = firstSeen[id] else {
                    firstSeen[id] = line.position
                    return true
                }
                let (segment, offset) = frame!
                let number = segments.firstIndex { $0.firstPosition == segment.firstPosition } ?? 0
                repeated = Problem(segmentNumber: number, rank: 1, location: DamageLocation(
                    file: segment.fileName, offset: Int64(offset), position: line.position, reason: "id '\(id)' staat ook op positie \(earlier)"))
                return false
            }
        } catch let error as LogError where error.kind == .damaged {
            // Damage the units found already; the repeats before it are what counts here.
        }
        return repeated
    }
}
