import CivilTime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLite

extension EventLog {
    /// Everything the appending side knows about the tail. Used only while holding `LOCK`.
    ///
    /// Opening costs a bounded amount of work whatever the log's size: the writer resumes the Merkle
    /// tree from the active segment's checkpoint before its last one and checks the frames after
    /// it, so the last checkpoint is checked in full before anything is written behind it. The
    /// derived index is written once per checkpoint; the lines after the index's high-water mark
    /// (always after the last checkpoint, in the active segment) are kept in memory for the
    /// idempotency check and the zaken's last positions.
    final class Writer {
        unowned let log: EventLog
        let lockFile: FileHandle
        var active: SegmentName?
        var file: FileHandle?
        var end: Int64 = 0
        var state = ScanState(nextPosition: 1, tree: MerkleFrontier())
        var damage: DamageLocation?
        var poisoned: LogError?
        var repairs: [TailRepair] = []
        let scanner = SegmentScanner(checkJSON: false)
        /// Lines not yet in the index, for the duplicate check and each zaak's last position:
        /// those since the last checkpoint, and older ones still queued in `flusher`.
        var unindexed = RecentLines()
        let flusher: IndexFlusher
        /// `flusher.pending` as this commit began, before it read the index.
        private var flushing: [RecentLines] = []
        /// A commit of at least this many lines that writes a checkpoint leaves the index to the
        /// flusher's thread. Smaller commits wait for it: a short-lived process (one `zaak` command)
        /// must not exit with its lines still on their way to the index.
        static let backgroundFlushLines = 64
        /// The last frame read to confirm an index candidate: retried batches hit the same frames.
        var confirmed: [Int64: (id: String, zaak: String)] = [:]

        init(log: EventLog) throws {
            self.log = log
            lockFile = try FileHandle(path: log.directory + "/LOCK", flags: O_RDWR | O_CREAT)
            flusher = IndexFlusher(path: log.directory + "/index.sqlite", primary: log.index)
        }

        deinit { flusher.waitUntilIdle() }

        var configuration: LogConfiguration { log.configuration }

        func withLock<T>(_ body: () throws -> T) throws -> T {
            try lockFile.lockExclusive()
            defer { lockFile.unlock() }
            return try body()
        }

        /// Brings the writer's view up to what is on disk: other processes may have appended or
        /// rolled since, and a crashed one may have left a torn tail.
        func refresh() throws {
            if let poisoned { throw poisoned }
            if let damage { throw LogError.damaged(damage) }
            if active == nil { try openActiveSegment() }
            while true {
                guard let file, let active else { return }
                // Read through the open descriptor first: another process may have rolled this
                // segment and a sealer removed its file since; the descriptor still reads it.
                let size = try file.size()
                if size < end {
                    throw fail(DamageLocation(file: active.fileName, offset: size, position: state.nextPosition,
                                              reason: "het actieve segment is korter geworden dan wat al gelezen was"))
                }
                if size > end { try scanActive(from: end) }
                // A roll by another process shows up as the next segment's file; if other writers
                // went on, it may be sealed already: then resume from the log's current tail.
                let next = SegmentName(firstPosition: state.nextPosition, sealed: false)
                if next != active, Directory.exists(log.logPath(next)) {
                    try switchTo(next)
                    continue
                }
                if Directory.exists(log.logPath(SegmentName(firstPosition: state.nextPosition, sealed: true))) {
                    self.active = nil
                    self.file = nil
                    try openActiveSegment()
                    continue
                }
                // Still the active segment: its file must be the one we hold, not a replacement.
                guard file.isStillAtPath() else {
                    throw fail(DamageLocation(file: active.fileName, offset: 0, position: active.firstPosition,
                                              reason: "het actieve segment is vervangen of verwijderd terwijl het log open was"))
                }
                return
            }
        }

        private func fail(_ location: DamageLocation) -> LogError {
            damage = location
            return LogError.damaged(location, cuttable: canCut(location))
        }

        /// Damage `zaak log herstel --forceer` may cut: inside the active segment, after its header.
        private func canCut(_ location: DamageLocation) -> Bool {
            guard let active, !active.sealed, location.file == active.fileName, location.offset > 0,
                  let size = try? file?.size() else { return false }
            return location.offset < size
        }

        /// Quarantines and cuts the damage that stopped writes; every line before it stays.
        func cutDamage() throws {
            guard let damage else { return }
            guard canCut(damage), let file, let active else {
                throw LogError(.damaged, "Het log is beschadigd in \(damage); dat kan niet worden afgekapt (niet aan het eind van het actieve segment). Zet het segment terug uit een back-up.",
                               damage: damage, remedies: [.restoreFromBackup])
            }
            try cut(file, of: active, from: Int(damage.offset), bytes: try file.readAll(), cause: .damageCutOnRequest)
            self.damage = nil
        }

        /// Copies the bytes from `offset` to the end into a quarantine file, then truncates there.
        private func cut(_ file: FileHandle, of segment: SegmentName, from offset: Int, bytes: [UInt8], cause: TailRepair.Cause) throws {
            let kept = try Quarantine.keep(bytes[offset...], cutFrom: segment.fileName, at: Int64(offset), in: log.directory,
                                           calls: configuration.calls)
            try file.truncate(to: Int64(offset))
            try file.sync(calls: configuration.calls)
            let repair = TailRepair(file: segment.fileName, offset: Int64(offset), removedBytes: Int64(bytes.count - offset),
                                    quarantine: kept, cause: cause)
            repairs.append(repair)
            configuration.onRepair(repair)
        }

        private func openActiveSegment() throws {
            // Segments being created are the writers' (we hold LOCK); a sealer's temp files are its own.
            for name in try Directory.entries(log.directory) where name.hasSuffix(".open.lz4.tmp") {
                try Directory.remove(log.directory + "/" + name)
            }
            guard let last = try log.segments().last else {
                try createSegment(SegmentName(firstPosition: 1, sealed: false), frontier: MerkleFrontier())
                return
            }
            guard last.sealed else { return try switchTo(last) }
            // Sealed segments are never written; resume after it in a new open segment.
            let bytes = try log.readSegment(last)
            let header = try headerState(of: bytes, segment: last, expected: nil)
            var scanState = header.state
            let outcome = try bytes.withUnsafeBytes { try scanner.scan($0, from: header.end, state: &scanState) }
            guard case .complete = outcome else { throw fail(location(outcome, in: last, state: scanState)) }
            try ensureIndexed(through: scanState.nextPosition - 1)
            state = scanState
            try createSegment(SegmentName(firstPosition: scanState.nextPosition, sealed: false), frontier: scanState.tree!)
        }

        private func headerState(of bytes: [UInt8], segment: SegmentName, expected: MerkleFrontier?) throws -> (state: ScanState, end: Int) {
            switch bytes.withUnsafeBytes({ scanner.header(of: $0) }) {
            case let .failure(outcome):
                throw fail(location(outcome, in: segment, state: ScanState(nextPosition: segment.firstPosition)))
            case let .success((first, hashes, headerEnd)):
                guard first == segment.firstPosition, let frontier = MerkleFrontier(size: first - 1, hashes: hashes) else {
                    throw fail(DamageLocation(file: segment.fileName, offset: 0, position: segment.firstPosition,
                                              reason: "segmentkop noemt positie \(first), de bestandsnaam \(segment.firstPosition)"))
                }
                if let expected, expected != frontier {
                    throw fail(DamageLocation(file: segment.fileName, offset: 0, position: first,
                                              reason: "frontier in de segmentkop past niet bij het vorige segment"))
                }
                return (ScanState(nextPosition: first, tree: frontier, lastRecordedAt: state.lastRecordedAt), headerEnd)
            }
        }

        func location(_ outcome: ScanOutcome, in segment: SegmentName, state: ScanState) -> DamageLocation {
            outcome.damage(in: segment, position: state.nextPosition)!
        }

        /// Where to resume a segment: after its checkpoint before the last one, found by walking
        /// frame headers only (no decompression). The scan from there checks the last checkpoint
        /// against the tree it recomputes: a checkpoint is never a base before it was checked.
        private func resumePoint(in bytes: [UInt8], after offset: Int, segment: SegmentName) -> (Checkpoint, end: Int)? {
            bytes.withUnsafeBytes { raw in
                var cursor = offset
                var metadata: [FrameBounds] = []
                while case let .frame(bounds) = FrameWalker.frame(in: raw, at: cursor) {
                    if bounds.kind == .metadata { metadata.append(bounds) }
                    cursor = bounds.end
                }
                for bounds in metadata.dropLast().reversed() {
                    if case let .success(.checkpoint(checkpoint)) = MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: raw[bounds.start..<bounds.end])),
                       checkpoint.treeSize >= segment.firstPosition {
                        return (checkpoint, bounds.end)
                    }
                }
                return nil
            }
        }

        private func switchTo(_ segment: SegmentName) throws {
            let handle = try FileHandle(path: log.logPath(segment), flags: O_RDWR)
            let bytes = try handle.readAll()
            let header = try headerState(of: bytes, segment: segment, expected: active == nil ? nil : state.tree)
            var resume = header.state
            var offset = header.end
            if let (checkpoint, checkpointEnd) = resumePoint(in: bytes, after: header.end, segment: segment),
               let tree = MerkleFrontier(size: checkpoint.treeSize, hashes: checkpoint.frontier) {
                resume = ScanState(nextPosition: checkpoint.treeSize + 1, tree: tree,
                                   lastRecordedAt: checkpoint.recordedAt, lastCheckpoint: checkpoint)
                offset = checkpointEnd
            }
            active = segment
            file = handle
            state = resume
            end = Int64(offset)
            unindexed = RecentLines()
            try ensureIndexed(through: resume.nextPosition - 1)
            try scanActive(from: end, bytes: bytes)
        }

        /// Makes the index cover every line up to `position`: the writer's memory covers only the
        /// lines after the active segment's last checkpoint.
        private func ensureIndexed(through position: Int64) throws {
            do {
                var through = try log.index.indexedThrough
                // A log damaged before the index's mark is found and located by the scan that follows.
                if through > position, let last = try? log.lastPosition(), last < through {
                    // An index ahead of its log belongs to another log (or a restored backup): rebuild.
                    try log.index.reset()
                    through = 0
                }
                if through < position { try log.rebuildIndex(from: through + 1, through: position) }
            } catch let error as SQLiteError {
                throw LogError(.unavailable, "De index van het log is onbruikbaar (\(error.message)). Verwijder \(log.directory)/index.sqlite; hij wordt uit het log opnieuw opgebouwd.")
            }
        }

        /// Reads frames appended after `offset`, checking checkpoint signatures against the
        /// installation's key; a torn tail is quarantined and cut off (we hold the lock, so nobody is
        /// writing it), any other damage stops all writes.
        private func scanActive(from offset: Int64, bytes preread: [UInt8]? = nil) throws {
            guard let file, let active else { return }
            let bytes = try preread ?? file.readAll()
            var scanState = state
            var seen = RecentLines()
            let key = try installationKey()
            var badSignature: DamageLocation?
            let outcome = bytes.withUnsafeBytes { raw in
                scanner.scan(raw, from: Int(offset), state: &scanState,
                             onFrame: { seen.add(frame: $0, in: active) },
                             onCheckpoint: { checkpoint, bounds in
                                 if badSignature == nil, let key, let reason = checkpoint.signatureProblem(trusting: [key]) {
                                     badSignature = DamageLocation(file: active.fileName, offset: Int64(bounds.start),
                                                                   position: checkpoint.treeSize + 1, reason: reason)
                                 }
                             },
                             onLine: { line in
                                 seen.add(id: String(decoding: line.id, as: UTF8.self), zaak: String(decoding: line.zaak, as: UTF8.self),
                                          position: line.position)
                                 return true
                             })
            }
            if let badSignature { throw fail(badSignature) }
            switch outcome {
            case let .complete(newEnd), let .stoppedByVisitor(newEnd):
                end = Int64(newEnd)
            case let .invalid(badOffset, _, short):
                guard short else { throw fail(location(outcome, in: active, state: scanState)) }
                try cut(file, of: active, from: badOffset, bytes: bytes, cause: .tornTail)
                end = Int64(badOffset)
            }
            state = scanState
            unindexed.append(seen)
        }

        /// The installation's public key, read once: checkpoints this writer resumes behind must
        /// carry its signature when they are signed.
        private var loadedKey: CheckpointPublicKey??
        private func installationKey() throws -> CheckpointPublicKey? {
            if let loadedKey { return loadedKey }
            let key = try log.installationKeys().first
            loadedKey = .some(key)
            return key
        }

        /// Writes the remembered lines to the index. Failure is not fatal (the lines stay in memory
        /// and the index is caught up from the log later), except before a roll (see `roll`).
        private func flushIndex() throws {
            // Failed lines stay queued in the flusher, for its next write and for lookups.
            defer { unindexed = RecentLines() }
            try flusher.flush(unindexed)
        }

        /// Creates a segment atomically: header into a temp file, fsync, rename, fsync the directory.
        func createSegment(_ segment: SegmentName, frontier: MerkleFrontier) throws {
            let path = log.logPath(segment)
            let temporary = path + ".tmp"
            let header = MetadataRecord.segmentHeader(firstPosition: segment.firstPosition, frontier: frontier.hashes).frame
            do {
                let handle = try FileHandle(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
                try handle.write(header, at: 0, calls: configuration.calls)
                try handle.sync(calls: configuration.calls)
                try Directory.rename(temporary, path)
                try Directory.sync(log.directory)
                active = segment
                file = try FileHandle(path: path, flags: O_RDWR)
                end = Int64(header.count)
                state = ScanState(nextPosition: segment.firstPosition, tree: frontier, lastRecordedAt: state.lastRecordedAt)
            } catch {
                try? Directory.remove(temporary)
                throw error
            }
        }

        /// Closes the active segment with a checkpoint and starts the next one. The index must be
        /// complete first: a writer that opens the next segment trusts it for everything before.
        func roll() throws {
            guard let active, state.nextPosition > active.firstPosition else { return }
            if state.lastCheckpoint?.treeSize != state.nextPosition - 1 { try writeCheckpoint() }
            do { try flushIndex() } catch {
                throw LogError(.io, "Kan de index van het log niet bijwerken (\(error)); is de schijf vol? Er is niets geschreven.")
            }
            try createSegment(SegmentName(firstPosition: state.nextPosition, sealed: false), frontier: state.tree!)
        }

        /// Writes a checkpoint over the lines after the last one (the last frame is then a data frame,
        /// which a checkpoint must follow).
        @discardableResult
        private func writeCheckpoint() throws -> Checkpoint {
            guard let file else { throw LogError(.unavailable, "geen actief segment") }
            let checkpoint = Checkpoint(tree: state.tree!, recordedAt: state.lastRecordedAt).signed(by: try log.signer())
            try write(MetadataRecord.checkpoint(checkpoint).frame, to: file)
            state.lastCheckpoint = checkpoint
            state.linesSinceCheckpoint = 0
            state.firstUncoveredAt = nil
            return checkpoint
        }

        /// A checkpoint over the lines no checkpoint covers yet, if there are any; `onlyIfDue`: only
        /// once the oldest of them is `checkpointMaxAge` old. A quiet log gets its checkpoint this way
        /// without waiting for the next commit (log-format §5).
        func checkpointUncoveredLines(onlyIfDue: Bool) throws -> Checkpoint? {
            guard let oldest = state.firstUncoveredAt, state.linesSinceCheckpoint > 0 else { return nil }
            if onlyIfDue, configuration.clock() - oldest < configuration.checkpointMaxAge { return nil }
            let checkpoint = try writeCheckpoint()
            try? flushIndex()  // as after a commit's checkpoint: the lines stay in memory if it fails
            return checkpoint
        }

        /// Writes at the end and syncs; on any failure the file is cut back so no partial frame stays.
        private func write(_ bytes: [UInt8], to file: FileHandle) throws {
            do {
                try file.write(bytes, at: end, calls: configuration.calls)
                try file.sync(calls: configuration.calls)
                end += Int64(bytes.count)
            } catch {
                do {
                    try file.truncate(to: end)
                    try file.sync(calls: configuration.calls)
                } catch {
                    // The file's state is unknown; a fresh open recovers it, this instance writes no more.
                    poisoned = LogError(.io, "\(error) — het log weigert verdere schrijfacties in dit proces; open het opnieuw")
                }
                throw error
            }
        }

        /// The position an id already has: after the index's high-water mark (this commit's lines
        /// included), or in the index.
        private func existingPosition(of id: String) throws -> Int64? {
            if let position = unindexed.position(ofId: id) { return position }
            for generation in flushing {
                if let position = generation.position(ofId: id) { return position }
            }
            return try log.index.candidates(ofId: id).first { try line(at: $0)?.id == id }
        }

        /// The position of a zaak's last event (0: none), looked up in the same places, newest first.
        private func lastPosition(ofZaak zaak: String) throws -> Int64 {
            if let position = unindexed.lastPosition(ofZaak: zaak) { return position }
            for generation in flushing.reversed() {
                if let position = generation.lastPosition(ofZaak: zaak) { return position }
            }
            return try log.lastIndexedPosition(ofZaak: zaak) { try line(at: $0)?.zaak }
        }

        /// The id and zaak at an index candidate's position, keeping the whole frame read.
        private func line(at position: Int64) throws -> (id: String, zaak: String)? {
            if confirmed[position] == nil, let entries = try log.frameEntries(containing: position) {
                confirmed = Dictionary(uniqueKeysWithValues: entries.map { ($0.position, ($0.id, $0.zaak)) })
            }
            return try confirmed[position] ?? log.entry(at: position).map { ($0.id, $0.zaak) }
        }

        /// Commits the batches of one group: one frame, one write, one fdatasync. A batch whose
        /// condition fails contributes no lines and gets its conflict; a thrown error fails them all.
        func commit(_ batches: [AppendBatch]) throws -> [Result<[AppendResult], LogError>] {
            try refresh()
            if end >= configuration.rollBytes { try roll() }
            guard let file, let active else { throw LogError(.unavailable, "geen actief segment") }

            let recordedAt = max(configuration.clock(), state.lastRecordedAt)
            let timestamp = Timestamp.bytes(millisecondsSinceEpoch: recordedAt)
            var content: [UInt8] = []
            var tree = state.tree!
            var position = state.nextPosition
            var results: [Result<[AppendResult], LogError>] = []
            // This commit's lines join `unindexed` as they are encoded, so that later batches of the
            // group see them; they are taken out again if the commit fails.
            let mark = (lines: unindexed.count, frames: unindexed.rows.frames.count)
            var durable = false
            defer { if !durable { unindexed.truncate(toCount: mark.lines, frames: mark.frames) } }
            flushing = flusher.pending
            defer { flushing = [] }
            let lookups: () throws -> Void = { [self] in
                nextBatch: for batch in batches {
                    let earlier = try batch.records.map { try existingPosition(of: $0.id) }
                    // A retry of a batch already in the log succeeds even if the zaak has moved on since.
                    if !earlier.contains(nil) {
                        results.append(.success(earlier.map { AppendResult(position: $0!, alreadyPresent: true) }))
                        continue
                    }
                    for condition in batch.conditions {
                        let actual = try lastPosition(ofZaak: condition.zaak)
                        if actual != condition.lastPosition {
                            results.append(.failure(.conflict(StreamConflict(zaak: condition.zaak, expectedLastPosition: condition.lastPosition,
                                                                             actualLastPosition: actual))))
                            continue nextBatch
                        }
                    }
                    var batchResults: [AppendResult] = []
                    for (record, earlier) in zip(batch.records, earlier) {
                        // An id repeated inside this batch is found among the lines just added.
                        if let earlier = earlier ?? (batch.records.count > 1 ? unindexed.position(ofId: record.id) : nil) {
                            batchResults.append(AppendResult(position: earlier, alreadyPresent: true))
                            continue
                        }
                        let lineStart = content.count
                        EventLine.encode(record, position: position, recordedAt: timestamp, into: &content)
                        content.withUnsafeBytes { tree.append(line: UnsafeRawBufferPointer(rebasing: $0[lineStart..<($0.count - 1)])) }
                        unindexed.add(id: record.id, zaak: record.zaak, position: position)
                        batchResults.append(AppendResult(position: position, alreadyPresent: false))
                        position += 1
                    }
                    results.append(.success(batchResults))
                }
            }
            do { try log.index.reading(lookups) } catch let error as SQLiteError {
                throw LogError(.io, "Kan de index van het log niet lezen (\(error)); er is niets geschreven.")
            }
            guard !content.isEmpty else {
                durable = true
                return results
            }

            let count = Int(position - state.nextPosition)
            var bytes = content.withUnsafeBytes { LZ4Frames.compress($0, level: 0) }
            unindexed.add(frame: DataFrameInfo(bounds: FrameBounds(start: Int(end), end: Int(end) + bytes.count, kind: .data(contentSize: content.count)),
                                               firstPosition: state.nextPosition, count: count), in: active)
            let sinceCheckpoint = state.linesSinceCheckpoint + count
            let firstUncoveredAt = state.firstUncoveredAt ?? recordedAt
            var checkpoint: Checkpoint?
            if sinceCheckpoint >= configuration.checkpointInterval || recordedAt - firstUncoveredAt >= configuration.checkpointMaxAge {
                checkpoint = Checkpoint(tree: tree, recordedAt: recordedAt).signed(by: try log.signer())
                bytes += MetadataRecord.checkpoint(checkpoint!).frame
            }
            try write(bytes, to: file)
            durable = true

            state.nextPosition = position
            state.tree = tree
            state.lastRecordedAt = recordedAt
            state.linesSinceCheckpoint = checkpoint == nil ? sinceCheckpoint : 0
            state.firstUncoveredAt = checkpoint == nil ? firstUncoveredAt : nil
            state.lastCheckpoint = checkpoint ?? state.lastCheckpoint
            // Durable now. The index follows at checkpoints; if that fails, the lines stay in memory.
            if checkpoint != nil {
                if count >= Self.backgroundFlushLines {
                    flusher.submit(unindexed)
                    unindexed = RecentLines()
                } else {
                    try? flushIndex()
                }
            }
            return results
        }
    }
}
