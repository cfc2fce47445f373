using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Simulation;

internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>One client write: insert, update (set v) or delete of a key, with a unique value.</summary>
internal sealed record WriteSpec(long RequestId, WriteKind Kind, string Key, long Value, bool Majority);

/// <summary>Generates client writes on a small key space and turns them into oplog entries the way the host's write path does.</summary>
internal sealed class SimClient(int keyCount)
{
    public const string Namespace = "app.items";

    private long _nextId;

    public Dictionary<long, WriteSpec> Specs { get; } = [];

    public static DocumentKey KeyOf(string key) => new(Namespace, key);

    public WriteSpec NewWrite(Random random, double majorityShare)
    {
        var kind = random.Next(10) switch
        {
            < 4 => WriteKind.Insert,
            < 8 => WriteKind.Update,
            _ => WriteKind.Delete,
        };
        var id = ++_nextId;
        var spec = new WriteSpec(id, kind, "k" + random.Next(keyCount), id, random.NextDouble() < majorityShare);
        Specs[id] = spec;
        return spec;
    }

    /// <summary>
    /// The entry a master writes for <paramref name="spec"/> given the document's current state,
    /// or null when the write changes nothing (insert of an existing key, update or delete of a missing one).
    /// </summary>
    public static OplogEntry? ToEntry(WriteSpec spec, BsonDocument? current, OpPosition position, DateTimeOffset now)
    {
        switch (spec.Kind)
        {
            case WriteKind.Insert when current is null:
                return OplogEntry.Insert(position, Namespace, new BsonDocument("_id", spec.Key).Add("v", spec.Value).Add("n", 1), now);
            case WriteKind.Update when current is not null:
                var after = current.DeepClone();
                after["v"] = spec.Value;
                after["n"] = after["n"].ToInt64() + 1;
                return OplogEntry.Update(position, Namespace, after, now);
            case WriteKind.Delete when current is not null:
                return OplogEntry.Delete(position, Namespace, spec.Key, now);
            default:
                return null;
        }
    }
}
