/// What `zaak log verifieer` checked.
public struct VerifyReport: Sendable {
    public let segments: Int
    public let events: Int64
    public let dataFrames: Int
    public let checkpoints: Int
    public let fileBytes: Int
    public let root: MerkleHash
}

extension EventLog {
    /// Checks everything log-format §10 lists, from position 1, on the log as it stands now (taken
    /// under the writers' lock, so an append in progress is not mistaken for damage). Throws
    /// `LogError.damaged` naming the first bad file, byte offset and position.
    public func verify() throws -> VerifyReport {
        let snapshot = try self.snapshot()
        var segments = 0, frames = 0, checkpoints = 0, fileBytes = 0
        var seen = Set<UInt64>()
        var suspects = Set<UInt64>()
        let end = try scanLog(from: 1, checkJSON: true, verifyTree: true, snapshot: snapshot,
                              onSegment: { _, size in segments += 1; fileBytes += size },
                              onFrame: { _, _ in frames += 1 },
                              onCheckpoint: { _, _ in checkpoints += 1 },
                              onLine: { line in
                                  let hash = fnv1a64(line.id)
                                  if !seen.insert(hash).inserted { suspects.insert(hash) }
                                  return true
                              })
        if let torn = end.tornTail {
            throw LogError.damaged(DamageLocation(file: torn.file, offset: torn.offset, position: torn.position,
                reason: "onvolledig laatste frame (\(torn.reason)); een afgebroken schrijfactie? `zaak log herstel` kapt het af"))
        }
        if !suspects.isEmpty { try confirmUniqueIds(suspects, snapshot: snapshot) }
        return VerifyReport(segments: segments, events: end.nextPosition - 1, dataFrames: frames,
                            checkpoints: checkpoints, fileBytes: fileBytes, root: end.tree!.root)
    }

    /// Second pass over the few ids whose fingerprints collided: are they really the same id?
    private func confirmUniqueIds(_ suspects: Set<UInt64>, snapshot: LogSnapshot?) throws {
        var firstSeen: [String: Int64] = [:]
        var duplicate: (LineView, Int64)?
        _ = try scanLog(from: 1, snapshot: snapshot) { line in
            guard suspects.contains(fnv1a64(line.id)) else { return true }
            let id = String(decoding: line.id, as: UTF8.self)
            if let earlier = firstSeen[id] {
                duplicate = (line, earlier)
                return false
            }
            firstSeen[id] = line.position
            return true
        }
        if let (line, earlier) = duplicate {
            throw LogError.damaged(DamageLocation(file: "(log)", offset: 0, position: line.position,
                reason: "id '\(String(decoding: line.id, as: UTF8.self))' staat ook op positie \(earlier)"))
        }
    }
}
