namespace DistributedSync.Daemon.Engine;

/// <summary>What a batch of <see cref="WriteOperation"/>s did.</summary>
/// <param name="Position">The oplog position of the last entry written (the latest applied one when nothing changed).</param>
/// <param name="Inserted">Documents inserted by <see cref="InsertOperation"/>s.</param>
/// <param name="Matched">Documents matched by replace and update operations.</param>
/// <param name="Modified">Documents actually changed by replace and update operations.</param>
/// <param name="Deleted">Documents deleted.</param>
/// <param name="Upserted">Documents inserted by upserting replace operations.</param>
public sealed record WriteOutcome(OplogPosition Position, long Inserted = 0, long Matched = 0, long Modified = 0, long Deleted = 0, long Upserted = 0);
